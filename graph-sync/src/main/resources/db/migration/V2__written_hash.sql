-- A hash of the document each object was last written with (users: the SCIM user; groups: the
-- displayName), so a round skips objects Graph lists again unchanged (a full resync, a group listed
-- for its members only). Null: write it next time (e.g. after the sync deactivated the user).
alter table graph_sync.objects add column written_hash text;

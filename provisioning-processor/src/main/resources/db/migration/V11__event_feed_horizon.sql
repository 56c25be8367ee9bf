-- How far retention has deleted the events feed: the highest seq it deleted (one row). A reader's
-- cursor below it may have missed events (410, resynchronise); a cursor at or above it has not.
-- A tenant's purge deletes that tenant's rows without moving it: no other tenant lost anything.
create table scim.event_feed_horizon (
    id  integer primary key check (id = 1),
    seq bigint  not null
);

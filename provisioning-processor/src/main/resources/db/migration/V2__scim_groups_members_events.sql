-- Groups, membership as its own table, and the events of each processed command.

create table groups (
    tenant_id     text        not null,
    id            uuid        not null,
    display_name  text        not null,
    external_id   text,
    resource      jsonb       not null,
    version       bigint      not null,
    created       timestamptz not null,
    last_modified timestamptz not null,
    primary key (tenant_id, id)
);

-- Group displayName is unique per tenant, case-insensitively.
create unique index groups_display_name_uq on groups (tenant_id, lower(display_name));
create index groups_external_id_idx on groups (tenant_id, external_id);

-- Membership changes are set operations on this table: adding or removing one member costs the same
-- whatever the group's size (one index probe), and a re-add is a no-op by the primary key.
create table group_members (
    tenant_id   text not null,
    group_id    uuid not null,
    member_id   uuid not null,
    member_type text not null,
    primary key (tenant_id, group_id, member_id)
);

-- A user's derived `groups` attribute and deleting a user's memberships.
create index group_members_member_idx on group_members (tenant_id, member_id);

-- The domain events a command produced, re-published with the same ids if the command is redelivered.
alter table processed_commands add column events jsonb not null default '[]'::jsonb;

-- Filters on emails (`emails.value eq ...`, case-insensitive): the filter translation adds a
-- containment test on exactly this expression so the planner can use the index.
create index users_emails_idx on users using gin (((lower((resource -> 'emails')::text))::jsonb) jsonb_path_ops);
create index users_display_name_idx on users (tenant_id, lower(display_name));

-- Default list order (creation order) and cursor paging (id order) without sorting the tenant.
create index users_created_idx on users (tenant_id, created, id);
create index groups_created_idx on groups (tenant_id, created, id);

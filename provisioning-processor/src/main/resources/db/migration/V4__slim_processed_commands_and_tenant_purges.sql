-- processed_commands keeps only what deduplication and replay need: no resource bodies, no error
-- details (they may quote a client's value), no personal data. A late or repeated success reads the
-- resource's body from users/groups; the events of a command are kept (unsent_events) only until
-- the broker has confirmed them, then cleared. Rows are deleted by the retention job
-- (phub.processor.retention.*) once they are older than the commands topic can redeliver.
alter table processed_commands
    add column status        text,
    add column http_status   integer,
    add column scim_type     text,
    add column resource_type text,
    add column resource_id   text,
    add column version       bigint not null default 0,
    add column event_ids     text[] not null default '{}',
    add column unsent_events jsonb;

update processed_commands set
    status        = outcome ->> 'status',
    http_status   = (outcome ->> 'httpStatus')::integer,
    scim_type     = outcome ->> 'scimType',
    resource_type = outcome -> 'resource' -> 'meta' ->> 'resourceType',
    resource_id   = outcome -> 'resource' ->> 'id',
    version       = coalesce((outcome ->> 'version')::bigint, 0),
    event_ids     = array(select command_id::text || '-' || (n - 1)
                          from jsonb_array_elements(events) with ordinality as e(event, n)
                          order by n);

alter table processed_commands
    alter column status set not null,
    alter column http_status set not null,
    drop column outcome,
    drop column events;

-- Purging a deleted tenant's rows in chunks.
create index processed_commands_tenant_idx on processed_commands (tenant_id);

-- One row per tenant deletion the processor was asked for (a DELETING snapshot on tenants.v1),
-- keyed by the tenant and its creation time, which tells one life of a tenant id from the next
-- (commands carry it as tenantCreatedAt). Every command of a purged (or purging) tenant is refused
-- for good, so a command in flight from the deleted tenant can never bring rows back, not even into
-- a tenant later created with the same id. Kept forever: a few bytes per deleted tenant, no personal
-- data.
create table tenant_purges (
    tenant_id              text        not null,
    tenant_created_at      timestamptz not null,
    deletion_requested_at  timestamptz not null,
    state                  text        not null check (state in ('PURGING', 'PURGED')),
    started_at             timestamptz not null,
    purged_at              timestamptz,
    rows_deleted           bigint      not null default 0,
    primary key (tenant_id, tenant_created_at)
);

-- One row per SCIM operation, keyed by the command id. The command part and the outcome part are
-- merged by upserts, so either may arrive first and redelivery changes nothing.
create table audit.operations (
    command_id          uuid        primary key,
    tenant_id           text        not null,
    -- command.receivedAt; for an outcome without a command (a gateway rejection) its appliedAt
    received_at         timestamptz not null,
    applied_at          timestamptz,
    duration_ms         bigint,
    has_command         boolean     not null default false,
    has_outcome         boolean     not null default false,
    -- the processor set the command aside (dead-letter topic) and published no outcome
    dead_lettered       boolean     not null default false,
    -- raw SCIM operation (CREATE, REPLACE, PATCH, DELETE) and what it meant (create, disable, ...)
    scim_operation      text,
    operation           text,
    resource_type       text,
    resource_id         text,
    target_user_name    text,
    target_display_name text,
    target_external_id  text,
    target_identity     text generated always as
                            (coalesce(target_user_name, target_display_name, target_external_id)) stored,
    -- pending, success, failure, rejected
    status              text        not null,
    http_status         integer,
    scim_type           text,
    reason              text,
    changed_attributes  text[]      not null default '{}',
    client_request_id   text,
    source              text,
    resource_version    bigint,
    -- the request body after the redaction policy; never the raw body
    request_body        jsonb,
    updated_at          timestamptz not null default now()
);

-- Newest first per tenant, keyset pagination on (received_at, command_id).
create index operations_tenant_received
    on audit.operations (tenant_id, received_at desc, command_id desc);
create index operations_tenant_status_received
    on audit.operations (tenant_id, status, received_at desc, command_id desc);
create index operations_tenant_operation_received
    on audit.operations (tenant_id, operation, received_at desc, command_id desc);
-- Exact (case-insensitive) and prefix search on the target's userName/displayName/externalId.
create index operations_tenant_target
    on audit.operations (tenant_id, lower(target_identity) text_pattern_ops, received_at desc);
-- Retention deletes by age across tenants in bounded batches. Rows arrive roughly in time order,
-- so a BRIN index finds the old ones at a tiny size, and (unlike a btree on received_at) the
-- planner cannot be tempted to walk it for a tenant's newest-first list.
create index operations_received_brin
    on audit.operations using brin (received_at);

-- Records that could not be read: their coordinates (never their body) so an operator can fetch them.
create table audit.skipped_records (
    topic       text        not null,
    partition   integer     not null,
    "offset"    bigint      not null,
    reason      text        not null,
    skipped_at  timestamptz not null default now(),
    primary key (topic, partition, "offset")
);

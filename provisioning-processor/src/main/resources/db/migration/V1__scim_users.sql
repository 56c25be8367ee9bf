-- SCIM store owned by provisioning-processor. Every table carries tenant_id and every query filters on it.

create table users (
    tenant_id     text        not null,
    id            uuid        not null,
    user_name     text        not null,
    external_id   text,
    active        boolean     not null default true,
    display_name  text,
    resource      jsonb       not null,
    version       bigint      not null,
    created       timestamptz not null,
    last_modified timestamptz not null,
    primary key (tenant_id, id)
);

-- SCIM userName is case-insensitive (RFC 7643 section 4.1.1); unique per tenant only.
create unique index users_user_name_uq on users (tenant_id, lower(user_name));
create index users_external_id_idx on users (tenant_id, external_id);

-- One row per applied command: a redelivered command returns the stored outcome and changes nothing.
create table processed_commands (
    command_id   uuid        primary key,
    tenant_id    text        not null,
    outcome      jsonb       not null,
    processed_at timestamptz not null
);

create index processed_commands_processed_at_idx on processed_commands (processed_at);

-- Webhook endpoints, the deliveries owed to them and every attempt (webhooks/README.md, ADR 0015).

-- An endpoint of one tenant (tenant_id) or of every tenant (null). The secrets are encrypted with
-- phub.webhooks.secret-encryption-key (AES-256-GCM, nonce prepended); the previous one stays valid
-- until previous_secret_until after a rotation.
create table endpoints (
    id                     uuid        primary key,
    tenant_id              text,
    url                    text        not null,
    event_types            text[]      not null default '{}',
    enabled                boolean     not null default true,
    secret                 bytea       not null,
    previous_secret        bytea,
    previous_secret_until  timestamptz,
    failing_since          timestamptz,
    disabled_reason        text,
    disabled_at            timestamptz,
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now()
);

-- One row per event owed to an endpoint: pending until a 2xx (delivered) or until its retries are
-- spent (failed). resource_key (tenantId/resourceId) orders deliveries: only the oldest pending one
-- of an endpoint and resource is attempted. lease_until keeps one dispatcher per attempt.
create table deliveries (
    id               bigint      generated always as identity primary key,
    endpoint_id      uuid        not null references endpoints (id) on delete cascade,
    event_id         text        not null,
    event_type       text        not null,
    tenant_id        text        not null,
    resource_key     text        not null,
    body             text        not null,
    status           text        not null default 'pending',
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default now(),
    lease_until      timestamptz,
    last_status      integer,
    created_at       timestamptz not null default now(),
    delivered_at     timestamptz,
    unique (endpoint_id, event_id)
);

create index deliveries_due_idx on deliveries (next_attempt_at) where status = 'pending';
create index deliveries_order_idx on deliveries (endpoint_id, resource_key, id) where status = 'pending';
create index deliveries_log_idx on deliveries (endpoint_id, id);

-- Every attempt, for the delivery log: when, the HTTP status or the error, latency, and the start of
-- the response (at most 1 KiB).
create table attempts (
    id             bigint      generated always as identity primary key,
    delivery_id    bigint      not null references deliveries (id) on delete cascade,
    attempted_at   timestamptz not null default now(),
    http_status    integer,
    error          text,
    latency_ms     integer     not null,
    response       text
);

create index attempts_delivery_idx on attempts (delivery_id, id);

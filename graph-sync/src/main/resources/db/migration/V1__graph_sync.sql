-- Graph delta sync per tenant (ADR 0022). The client secret is stored encrypted (AES-256-GCM under
-- phub.graph-sync.secret-encryption-key, a 12-byte nonce before the ciphertext), never in clear.
create table graph_sync.tenants (
  tenant_id          text primary key,
  entra_tenant_id    text not null,
  client_id          text not null,
  client_secret      bytea not null,
  user_domains       text[] not null default '{}',
  group_ids          text[] not null default '{}',
  interval_seconds   integer not null check (interval_seconds >= 60),
  enabled            boolean not null,
  -- Graph's @odata.deltaLink of the last complete users / groups round; null: the next is full.
  users_delta_link   text,
  groups_delta_link  text,
  next_run_at        timestamptz not null default now(),
  run_requested      boolean not null default false,
  -- One round per tenant at a time over all instances: the instance holding the lease runs it.
  lease_owner        text,
  lease_until        timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);

create index tenants_due on graph_sync.tenants (next_run_at) where enabled;

-- What each round did: counts per kind of change, and the error that ended it, if any.
create table graph_sync.rounds (
  tenant_id    text not null references graph_sync.tenants (tenant_id) on delete cascade,
  round_id     uuid not null,
  kind         text not null check (kind in ('full', 'incremental')),
  status       text not null check (status in ('running', 'succeeded', 'failed')),
  started_at   timestamptz not null,
  finished_at  timestamptz,
  counts       jsonb not null default '{}',
  error        text,
  primary key (tenant_id, round_id)
);

create index rounds_latest on graph_sync.rounds (tenant_id, started_at desc);

-- Which SCIM resource each Graph object became: Graph id -> SCIM id, per tenant and kind.
create table graph_sync.objects (
  tenant_id  text not null references graph_sync.tenants (tenant_id) on delete cascade,
  kind       char(1) not null check (kind in ('U', 'G')),
  graph_id   text not null,
  scim_id    uuid not null,
  primary key (tenant_id, kind, graph_id)
);

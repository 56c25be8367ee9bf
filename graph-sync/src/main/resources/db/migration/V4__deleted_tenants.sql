-- Tenants deleted in the registry (a signed DELETING snapshot on tenants.v1) whose settings, rounds
-- and objects were removed: one row per life of a tenant id, so a redelivered deletion removes
-- nothing more, not even the settings of the same id created again afterwards. No secret here.
create table graph_sync.deleted_tenants (
  tenant_id         text not null,
  tenant_created_at timestamptz not null,
  requested_at      timestamptz not null,
  deleted_at        timestamptz not null default now(),
  primary key (tenant_id, tenant_created_at)
);

-- Tenants of ProvisioningHub and their SCIM bearer credentials (SHA-256 hashes only).
create table tenants (
    id                text primary key,
    display_name      text        not null,
    idp_tenant_id     text,
    status            text        not null check (status in ('ACTIVE', 'SUSPENDED')),
    rate_per_second   integer     not null check (rate_per_second > 0),
    rate_burst        integer     not null check (rate_burst > 0),
    oauth_issuer      text,
    oauth_audiences   text,       -- JSON array of strings
    oauth_jwks_uri    text,
    revision          bigint      not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null
);

-- One IdP tenant and one issuer belong to at most one of our tenants: a token can name only one.
create unique index tenants_idp_tenant_id on tenants (idp_tenant_id) where idp_tenant_id is not null;
create unique index tenants_oauth_issuer on tenants (oauth_issuer) where oauth_issuer is not null;

create table credentials (
    id            text primary key,
    tenant_id     text        not null references tenants (id) on delete cascade,
    sha256        text        not null unique,
    status        text        not null check (status in ('ACTIVE', 'REVOKED')),
    created_at    timestamptz not null,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);

create index credentials_tenant on credentials (tenant_id);

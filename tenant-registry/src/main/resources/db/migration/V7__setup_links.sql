-- One-time, expiring links an operator hands to a customer's admin; the console redeems one once to
-- open a session scoped to its tenant. Like credentials, only the SHA-256 of the secret is kept.
-- Times come from the database's clock: the redeem compares expires_at with now().
create table setup_links (
    id            uuid        primary key,
    tenant_id     text        not null references tenants (id) on delete cascade,
    token_sha256  text        not null,
    created_at    timestamptz not null,
    created_by    text        not null,   -- the admin token's principal, as in admin_changes
    expires_at    timestamptz not null,
    redeemed_at   timestamptz,
    revoked_at    timestamptz,
    check (expires_at > created_at)
);

-- The redeem finds a link by the hash of the secret it is given.
create unique index setup_links_token_sha256 on setup_links (token_sha256);
create index setup_links_tenant on setup_links (tenant_id, created_at desc);

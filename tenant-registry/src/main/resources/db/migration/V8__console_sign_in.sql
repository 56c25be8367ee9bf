-- Per tenant: the customer's own identity provider that signs its admins in to the console (OIDC
-- authorization code flow). The client secret is kept only sealed (AES-256-GCM under
-- phub.registry.secret-encryption-key, the tenant id as associated data), never in plaintext.
create table console_sign_in (
    tenant_id             text        primary key references tenants (id) on delete cascade,
    issuer                text        not null,
    client_id             text        not null,
    client_secret_sealed  bytea       not null,
    required_claim_name   text,
    required_claim_values text[],
    created_at            timestamptz not null,
    created_by            text        not null,
    updated_at            timestamptz not null,
    updated_by            text        not null,
    check ((required_claim_name is null) = (required_claim_values is null))
);

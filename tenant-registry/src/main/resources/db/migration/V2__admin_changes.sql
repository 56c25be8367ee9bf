-- Every change made through the admin API, with the principal that made it, written in the same
-- transaction as the change: a change without its record cannot commit. No secrets, no bodies.
create table admin_changes (
    id          bigserial   primary key,
    at          timestamptz not null,
    principal   text        not null,   -- the admin token's principal name (upn, preferred_username or sub)
    issuer      text,                   -- the token's iss
    action      text        not null,   -- e.g. tenant.create, credential.revoke
    tenant_id   text,                   -- no foreign key: the record outlives a deleted tenant
    target      text                    -- e.g. the credential id
);

create index admin_changes_tenant on admin_changes (tenant_id, id desc);

-- What the gateways do with a SCIM password for this tenant (docs/security.md, "Passwords"):
-- IGNORE accepts it and keeps nothing, HASH keeps an Argon2id hash made at the gateway.
alter table tenants add column password_policy text not null default 'IGNORE'
    check (password_policy in ('IGNORE', 'HASH'));

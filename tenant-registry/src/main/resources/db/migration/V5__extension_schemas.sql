-- A tenant's own SCIM extension schemas (docs/adr/0012), as declared through
-- PUT /admin/v1/tenants/{id}/schemas and validated by scim-core's TenantSchemas: a JSON array of
-- contracts ExtensionSchema. strict_extensions: attributes of schemas the tenant did not declare
-- are refused (400) instead of stored as sent.
alter table tenants
    add column extension_schemas jsonb not null default '[]'::jsonb,
    add column strict_extensions boolean not null default false;

-- Filters on attributes of a tenant's own extension schemas (docs/adr/0012), e.g. Entra's matching
-- attribute "urn:ietf:params:scim:schemas:extension:Contoso:2.0:User:employeeCode eq 'E1'":
-- one generic index over the lower-cased document, whatever a tenant declares and whenever, so no
-- DDL runs when a schema is declared. scim-core FilterToSql puts a containment test on exactly this
-- expression in front of the exact comparison:
--   (lower((resource)::text))::jsonb @> jsonb_build_object('<urn>', jsonb_build_object('<attr>', lower($n)))
-- jsonb_path_ops keeps one hash per value path, so the index holds no readable values.
create index users_resource_lower_idx on users
    using gin (((lower((resource)::text))::jsonb) jsonb_path_ops);
create index groups_resource_lower_idx on groups
    using gin (((lower((resource)::text))::jsonb) jsonb_path_ops);

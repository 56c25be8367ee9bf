-- A deleted tenant is DELETING until the processor reports that its SCIM data is gone
-- (tenants.purges.v1); only then is the row deleted and the id free to be created again.
alter table tenants drop constraint tenants_status_check;
alter table tenants add constraint tenants_status_check
    check (status in ('ACTIVE', 'SUSPENDED', 'DELETING'));

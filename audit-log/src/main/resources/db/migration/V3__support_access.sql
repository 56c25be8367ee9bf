-- Every read and export of the support API and every look at this table itself: who (the token's
-- subject and issuer), which tenant, what (endpoint and query string), when, and whether the token
-- was allowed to. Written before the data is read, so a read without its record does not happen.
create table audit.support_access (
    id          bigserial   primary key,
    at          timestamptz not null,
    subject     text        not null,
    issuer      text,
    tenant_id   text,                  -- null for the access-log listing across tenants
    action      text        not null,  -- operations.list, operations.get, operations.export, summary, access-log.list
    query       text,                  -- the request's query string (or the command id), at most 2000 characters
    allowed     boolean     not null
);

create index support_access_tenant on audit.support_access (tenant_id, id desc);
create index support_access_subject on audit.support_access (subject, id desc);

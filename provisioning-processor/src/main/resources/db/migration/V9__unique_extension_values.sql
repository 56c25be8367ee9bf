-- Values of attributes that a tenant's own extension schema declares unique (ADR 0012): one row per
-- value held, keyed so that a second holder cannot be written. The processor claims a value in the
-- transaction that stores it, so two concurrent writes of one value cannot both succeed (the
-- gateway's earlier check is only a fast answer). value_hash is the SHA-256 (hex) of the value,
-- lower-cased unless the attribute is caseExact: no readable personal data, fixed size. A row is a
-- claim that is checked against the holder's document when it is contested, so rows left behind by
-- a declaration that changed since never refuse a value nobody holds any more.
create table scim.unique_values (
    tenant_id     text not null,
    resource_type text not null,
    attribute     text not null,
    value_hash    text not null,
    resource_id   uuid not null,
    primary key (tenant_id, resource_type, attribute, value_hash)
);

-- Releasing a deleted resource's values.
create index unique_values_holder_idx on scim.unique_values (tenant_id, resource_id);

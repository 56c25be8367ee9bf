-- The events feed of the application read API (/app/v1/tenants/{id}/events, docs/app-api.md): the
-- events of provisioning.events.v1 as published, kept for phub.processor.event-feed.retention.
-- Written by one consumer (EventFeedConsumer) in batches, each batch under one advisory lock, so
-- rows commit in seq order and a reader paging by seq never skips a row committed later.
create table scim.event_feed (
    seq        bigint generated always as identity primary key,
    tenant_id  text        not null,
    event_id   text        not null unique,
    type       text        not null,
    subject    text        not null,
    time       timestamptz not null,
    data       jsonb       not null,
    stored_at  timestamptz not null default now()
);

-- A tenant's feed from a cursor.
create index event_feed_tenant_idx on scim.event_feed (tenant_id, seq);
-- Retention.
create index event_feed_stored_idx on scim.event_feed (stored_at);

-- The read API's updatedSince paging: (last_modified, id) order within a tenant.
create index users_modified_idx on scim.users (tenant_id, last_modified, id);
create index groups_modified_idx on scim.groups (tenant_id, last_modified, id);

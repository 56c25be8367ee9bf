-- Attribute names whose values the tenant keeps out of provisioning events (docs/events.md), as
-- declared through PUT /admin/v1/tenants/{id}/event-redaction: a JSON array of strings.
alter table tenants
    add column event_redactions jsonb not null default '[]'::jsonb;

-- The W3C trace id of the operation (from the traceparent header of its command record, else of its
-- outcome record), so support can follow one operation through the gateway, processor and audit
-- logs by one id. Null for records published without trace context.
alter table audit.operations add column trace_id text;

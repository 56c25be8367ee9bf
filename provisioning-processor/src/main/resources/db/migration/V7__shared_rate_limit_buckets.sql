-- One token bucket per tenant shared by every gateway instance, for deployments that turn on
-- phub.gateway.rate-limit.shared (off by default: each gateway keeps its own buckets in memory;
-- docs/operations.md "Rate limits", ADR 0013). No personal data: a tenant id and two numbers.
-- The processor owns the schema, so the SQL that reads and writes the bucket lives here; the
-- gateway only calls take_rate_limit_tokens, one round trip for a few SCIM requests, and holds
-- the row lock only while the function runs. Unlogged, and written without waiting for a flush (the
-- gateway's pool sets synchronous_commit=off): a tenant's requests queue on its row, so a commit
-- that waited for the disk would cap each tenant at one request per flush. After a crash or a
-- failover the buckets start full again, which admits one burst more: harmless.
create unlogged table if not exists rate_limit_buckets (
    tenant_id   text primary key,
    tokens      double precision not null,
    refilled_at timestamptz not null
);

-- Takes up to p_wanted tokens of the tenant's bucket (burst p_burst, refilled at p_rate per
-- second, greedily, like the gateway's in-memory Bucket4j bucket) at the database's clock, so
-- gateways whose clocks differ still share one bucket. granted is how many it got (0 when the bucket
-- holds less than one token; a gateway asks for a few at a time and spends them within a second);
-- wait_seconds how long until the next token when it got none.
create or replace function take_rate_limit_tokens(p_tenant text, p_rate double precision,
                                                  p_burst double precision, p_wanted integer,
                                                  out granted integer,
                                                  out wait_seconds double precision)
language plpgsql as $$
declare
    v_tokens    double precision;
    v_at        timestamptz;
    v_now       timestamptz := clock_timestamp();
    v_available double precision;
begin
    select b.tokens, b.refilled_at into v_tokens, v_at
      from scim.rate_limit_buckets b where b.tenant_id = p_tenant for update;
    if not found then
        insert into scim.rate_limit_buckets (tenant_id, tokens, refilled_at)
        values (p_tenant, p_burst, v_now) on conflict (tenant_id) do nothing;
        select b.tokens, b.refilled_at into v_tokens, v_at
          from scim.rate_limit_buckets b where b.tenant_id = p_tenant for update;
    end if;
    -- A caller that waited for the lock may carry an earlier clock than the row: no refill then.
    v_available := least(p_burst,
                         v_tokens + p_rate * greatest(0, extract(epoch from v_now - v_at)));
    granted := least(greatest(p_wanted, 1), floor(v_available))::integer;
    if granted >= 1 then
        wait_seconds := 0;
        v_available := v_available - granted;
    else
        granted := 0;
        wait_seconds := (1 - v_available) / p_rate;
    end if;
    update scim.rate_limit_buckets
       set tokens = v_available, refilled_at = greatest(v_at, v_now)
     where tenant_id = p_tenant;
end
$$;

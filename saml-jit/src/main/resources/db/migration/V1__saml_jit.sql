-- SAML just-in-time provisioning (ADR 0023). Every table carries tenant_id.

-- A tenant's identity provider: its entity id, sign-on URL, signing certificates and claim mapping.
create table saml_jit.identity_providers (
  tenant_id       text primary key,
  idp_entity_id   text not null,
  sso_url         text not null,
  -- [{"pem": "...", "notAfter": "2027-01-01T00:00:00Z" | null}]; more than one = rotation
  certificates    jsonb not null,
  claim_mapping   jsonb not null,
  group_claim     text,
  application_url text,
  enabled         boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

-- AuthnRequests we sent (SP-initiated sign-in); a response naming another id is refused.
create table saml_jit.authn_requests (
  tenant_id  text not null,
  request_id text not null,
  expires_at timestamptz not null,
  primary key (tenant_id, request_id)
);
create index authn_requests_expiry on saml_jit.authn_requests (expires_at);

-- Assertions already used: a second use is a replay. Kept until NotOnOrAfter + the clock skew.
create table saml_jit.consumed_assertions (
  tenant_id    text not null,
  assertion_id text not null,
  keep_until   timestamptz not null,
  consumed_at  timestamptz not null default now(),
  primary key (tenant_id, assertion_id)
);
create index consumed_assertions_expiry on saml_jit.consumed_assertions (keep_until);

-- Users a sign-in has met, by userName: created_here = this service created it (its mapped
-- attributes follow the IdP); false = it existed before (SCIM's), only missing attributes are filled.
create table saml_jit.users (
  tenant_id       text not null,
  user_name_lower text not null,
  scim_id         text not null,
  created_here    boolean not null,
  last_sign_in    timestamptz not null default now(),
  primary key (tenant_id, user_name_lower)
);

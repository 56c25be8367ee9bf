#!/usr/bin/env bash
# Local development keys and tokens for docker-compose.yml, in deploy/compose/.secrets (ignored by
# git). Never use these for anything but a local stack.
#
#   admin-key.pem / admin-key.pub.pem   the tenant registry's admin token key (no OIDC server locally)
#   registry-admin.properties           quarkus.oidc.public-key + issuer, and the tenant snapshot
#                                       signing key (Ed25519) and the sign-in secret encryption key
#                                       (AES-256, registry-secret.key), mounted into tenant-registry
#   snapshot-signing.pem                that signing key (private)
#   gateway-tenant-keys.properties      its public half, mounted into scim-gateway
#   support-private.pem / -public.pem   the audit-log support token key; the public half is mounted
#   webhooks.properties                 the admin token key + issuer and the endpoint secret
#                                       encryption key (AES-256), mounted into webhooks
#   console.properties, console-*.pem   the console's session key and copies of the admin and
#                                       support keys' private halves it signs service tokens with
#                                       (and its operators' OIDC client secret, if
#                                       CONSOLE_OIDC_CLIENT_SECRET is set)
#   sources-key.pem / .pub.pem          the service token key of graph-sync and saml-jit (ADR 0022,
#                                       0023): the private half (copy container-sources-key.pem)
#                                       mounted into both, the public half into scim-gateway
#   graph-sync.properties               the admin token key + issuer, the Entra client secret
#                                       encryption key (AES-256), the signing key's path and the
#                                       snapshot signing public key
#   saml-jit.properties                 the admin token key + issuer, the signing key's path and the
#                                       snapshot signing public key
#   credentials.env                     ADMIN_TOKEN and SUPPORT_TOKEN (12 h), SCIM/admin/audit URLs
#
# Keys are kept across runs; tokens are minted afresh each time. Needs bash and openssl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/deploy/compose/.secrets"
admin_issuer=provisioninghub-local-admin
support_issuer=provisioninghub-support
ttl=$((12 * 3600))
mkdir -p "$dir"

keypair() { # private public
  if [[ ! -s $1 || ! -s $2 ]]; then
    (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null)
    openssl pkey -in "$1" -pubout -out "$2" 2>/dev/null
  fi
  chmod 600 "$1"
  chmod 644 "$2" # read by the containers' non-root users
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

jwt() { # private-key issuer audience subject roles(JSON strings, comma-separated)
  local now header payload signature
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s","groups":[%s],"iat":%d,"exp":%d,"jti":"%s"}' \
    "$2" "$3" "$4" "$4" "$5" "$now" "$((now + ttl))" "$(openssl rand -hex 16)" | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$1" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

keypair "$dir/admin-key.pem" "$dir/admin-key.pub.pem"
keypair "$dir/support-private.pem" "$dir/support-public.pem"

# Tenant snapshot signing (docs/security.md, "Kafka: authentication and ACLs").
if [[ ! -s $dir/snapshot-signing.pem ]]; then
  (umask 077; openssl genpkey -algorithm ed25519 -out "$dir/snapshot-signing.pem" 2>/dev/null)
fi
chmod 600 "$dir/snapshot-signing.pem"
signing_key_id=local-1

printf 'quarkus.oidc.public-key=%s\nquarkus.oidc.token.issuer=%s\n' \
  "$(sed '1d;$d' "$dir/admin-key.pub.pem" | tr -d '\n')" "$admin_issuer" >"$dir/registry-admin.properties"
printf 'phub.registry.snapshot-signing.private-key=%s\nphub.registry.snapshot-signing.key-id=%s\n' \
  "$(sed '1d;$d' "$dir/snapshot-signing.pem" | tr -d '\n')" "$signing_key_id" >>"$dir/registry-admin.properties"
# The key that encrypts the client secrets of the customers' console sign-in at rest.
if [[ ! -s $dir/registry-secret.key ]]; then
  (umask 077; openssl rand -base64 32 >"$dir/registry-secret.key")
fi
printf 'phub.registry.secret-encryption-key=%s\n' "$(cat "$dir/registry-secret.key")" \
  >>"$dir/registry-admin.properties"
chmod 644 "$dir/registry-admin.properties"
printf 'phub.gateway.tenant-snapshots.public-keys=%s:%s\n' "$signing_key_id" \
  "$(openssl pkey -in "$dir/snapshot-signing.pem" -pubout 2>/dev/null | sed '1d;$d' | tr -d '\n')" \
  >"$dir/gateway-tenant-keys.properties"
chmod 644 "$dir/gateway-tenant-keys.properties"
sed 's/^phub\.gateway\.tenant-snapshots\.public-keys=/phub.processor.purge.tenant-snapshots.public-keys=/' \
  "$dir/gateway-tenant-keys.properties" >"$dir/processor-tenant-keys.properties"
chmod 644 "$dir/processor-tenant-keys.properties"

if [[ ! -s $dir/webhooks-secret.key ]]; then
  (umask 077; openssl rand -base64 32 >"$dir/webhooks-secret.key")
fi
printf 'mp.jwt.verify.publickey=%s\nmp.jwt.verify.issuer=%s\nphub.webhooks.secret-encryption-key=%s\n' \
  "$(sed '1d;$d' "$dir/admin-key.pub.pem" | tr -d '\n')" "$admin_issuer" "$(cat "$dir/webhooks-secret.key")" \
  >"$dir/webhooks.properties"
chmod 644 "$dir/webhooks.properties" # read by the container's non-root user; local keys only

# The console signs short-lived admin and support tokens (ADR 0021): it reads both private keys.
# Copies readable by the container's non-root user; local keys only.
install -m 644 "$dir/admin-key.pem" "$dir/console-admin-key.pem"
install -m 644 "$dir/support-private.pem" "$dir/console-support-key.pem"
if [[ ! -s $dir/console-session.key ]]; then
  (umask 077; openssl rand -base64 32 >"$dir/console-session.key")
fi
printf 'phub.console.session-key=%s\nphub.console.admin-signing-key-location=%s\nphub.console.support-signing-key-location=%s\n' \
  "$(cat "$dir/console-session.key")" /run/phub/admin-key.pem /run/phub/support-key.pem >"$dir/console.properties"
# The operator pages' OIDC client secret at your identity provider, when given (.env has the rest).
if [[ -n "${CONSOLE_OIDC_CLIENT_SECRET:-}" ]]; then
  printf 'quarkus.oidc.credentials.secret=%s\n' "$CONSOLE_OIDC_CLIENT_SECRET" >>"$dir/console.properties"
fi
chmod 644 "$dir/console.properties"

# graph-sync writes through the gateway with service tokens it signs (ADR 0022): the private half
# for graph-sync, the public half for the gateway. Copies readable by the containers' non-root
# users; local keys only.
keypair "$dir/sources-key.pem" "$dir/sources-key.pub.pem"
install -m 644 "$dir/sources-key.pem" "$dir/container-sources-key.pem"
printf 'phub.gateway.sources.public-key-location=/run/phub/sources-key.pub.pem\n' \
  >>"$dir/gateway-tenant-keys.properties"
if [[ ! -s $dir/graph-sync-secret.key ]]; then
  (umask 077; openssl rand -base64 32 >"$dir/graph-sync-secret.key")
fi
printf 'mp.jwt.verify.publickey=%s\nmp.jwt.verify.issuer=%s\nphub.graph-sync.secret-encryption-key=%s\nphub.graph-sync.scim.signing-key-location=%s\n' \
  "$(sed '1d;$d' "$dir/admin-key.pub.pem" | tr -d '\n')" "$admin_issuer" "$(cat "$dir/graph-sync-secret.key")" \
  /run/phub/sources-key.pem >"$dir/graph-sync.properties"
# graph-sync and saml-jit remove a deleted tenant's data only on a deletion the registry signed.
sed -n 's/^phub\.gateway\.tenant-snapshots\.public-keys=/phub.graph-sync.tenant-snapshots.public-keys=/p' \
  "$dir/gateway-tenant-keys.properties" >>"$dir/graph-sync.properties"
chmod 644 "$dir/graph-sync.properties"
printf 'mp.jwt.verify.publickey=%s\nmp.jwt.verify.issuer=%s\nphub.saml-jit.scim.signing-key-location=%s\n' \
  "$(sed '1d;$d' "$dir/admin-key.pub.pem" | tr -d '\n')" "$admin_issuer" /run/phub/sources-key.pem \
  >"$dir/saml-jit.properties"
sed -n 's/^phub\.gateway\.tenant-snapshots\.public-keys=/phub.saml-jit.tenant-snapshots.public-keys=/p' \
  "$dir/gateway-tenant-keys.properties" >>"$dir/saml-jit.properties"
chmod 644 "$dir/saml-jit.properties"

(umask 077
 {
   echo "SCIM_BASE_URL=http://127.0.0.1:${GATEWAY_PORT:-8080}/scim/v2"
   echo "ADMIN_BASE_URL=http://127.0.0.1:${REGISTRY_PORT:-8082}/admin/v1"
   echo "ADMIN_TOKEN=$(jwt "$dir/admin-key.pem" "$admin_issuer" provisioninghub-admin-api operator '"provisioning-admin"')"
   echo "WEBHOOKS_BASE_URL=http://127.0.0.1:${WEBHOOKS_PORT:-8084}/admin/v1/webhooks"
   echo "AUDIT_BASE_URL=http://127.0.0.1:${AUDIT_PORT:-8083}/audit/v1"
   echo "CONSOLE_URL=http://127.0.0.1:${CONSOLE_PORT:-8085}"
   echo "GRAPH_SYNC_BASE_URL=http://127.0.0.1:${GRAPH_SYNC_PORT:-8087}/admin/v1"
   echo "SAML_JIT_BASE_URL=http://127.0.0.1:${SAML_JIT_PORT:-8088}"
   echo "SUPPORT_TOKEN=$(jwt "$dir/support-private.pem" "$support_issuer" provisioninghub-support-api local-support '"support","support-all-tenants"')"
 } >"$dir/credentials.env")
echo "keys and tokens in $dir; source $dir/credentials.env for ADMIN_TOKEN and SUPPORT_TOKEN" >&2

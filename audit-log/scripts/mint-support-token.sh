#!/usr/bin/env bash
# Mints a bearer token for the audit-log support API where no OIDC provider is at hand (local stack,
# tests): an RS256 JWT for the support API's audience with the role "support" in its groups claim,
# signed with the private key whose public half audit-log is configured with
# (mp.jwt.verify.publickey.location). Needs only bash and openssl. Production tokens come from the
# operators' OIDC provider instead (docs/security.md).
#
#   mint-support-token.sh PRIVATE_KEY_PEM [ISSUER] [SUBJECT] [TTL_SECONDS] [TENANTS] [AUDIENCE]
#
# ISSUER must equal audit-log's mp.jwt.verify.issuer (default provisioninghub-support), AUDIENCE one
# of its mp.jwt.verify.audiences (default provisioninghub-support-api). TTL_SECONDS is 1-43200
# (12 h, audit-log's maximum token age; default 3600). TENANTS is a comma-separated list of the
# tenants the token may read (claim "tenants"), or "*" (default) for every tenant (role
# "support-all-tenants").
set -euo pipefail

usage="usage: mint-support-token.sh PRIVATE_KEY_PEM [ISSUER] [SUBJECT] [TTL_SECONDS] [TENANTS] [AUDIENCE]"
key=${1:?$usage}
issuer=${2:-provisioninghub-support}
subject=${3:-${USER:-support}}
ttl=${4:-3600}
tenants=${5:-*}
audience=${6:-provisioninghub-support-api}

for value in "$issuer" "$subject" "$audience"; do
  if [[ ! $value =~ ^[A-Za-z0-9@._:/-]+$ ]]; then
    echo "issuer, subject and audience may only use letters, digits and @._:/-" >&2
    exit 2
  fi
done
[[ $ttl =~ ^[0-9]+$ ]] && ((ttl >= 1 && ttl <= 43200)) \
  || { echo "TTL_SECONDS must be 1-43200 (12 h)" >&2; exit 2; }

if [[ $tenants == "*" ]]; then
  scope='"groups":["support","support-all-tenants"]'
else
  list=""
  IFS=',' read -ra names <<<"$tenants"
  for name in "${names[@]}"; do
    [[ $name =~ ^[a-z0-9][a-z0-9-]{1,62}$ ]] || { echo "not a tenant id: '$name'" >&2; exit 2; }
    list+="${list:+,}\"$name\""
  done
  [[ -n $list ]] || { echo "TENANTS is empty" >&2; exit 2; }
  scope="\"groups\":[\"support\"],\"tenants\":[$list]"
fi

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s",%s,"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$audience" "$subject" "$subject" "$scope" "$now" "$((now + ttl))" "$(openssl rand -hex 16)" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"

#!/usr/bin/env bash
# Mints a bearer token for the audit-log support API: an RS256 JWT with the role "support" in its
# groups claim, signed with the private key whose public half audit-log is configured with
# (mp.jwt.verify.publickey.location). Needs only bash and openssl.
#
#   mint-support-token.sh PRIVATE_KEY_PEM [ISSUER] [SUBJECT] [TTL_SECONDS]
#
# ISSUER must equal audit-log's mp.jwt.verify.issuer (default provisioninghub-support).
set -euo pipefail

key=${1:?usage: mint-support-token.sh PRIVATE_KEY_PEM [ISSUER] [SUBJECT] [TTL_SECONDS]}
issuer=${2:-provisioninghub-support}
subject=${3:-${USER:-support}}
ttl=${4:-3600}

for value in "$issuer" "$subject"; do
  if [[ ! $value =~ ^[A-Za-z0-9@._:/-]+$ ]]; then
    echo "issuer and subject may only use letters, digits and @._:/-" >&2
    exit 2
  fi
done
[[ $ttl =~ ^[0-9]+$ ]] || { echo "TTL_SECONDS must be a number" >&2; exit 2; }

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","sub":"%s","upn":"%s","groups":["support"],"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$subject" "$subject" "$now" "$((now + ttl))" "$(openssl rand -hex 16)" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"

#!/usr/bin/env bash
# The local stack, without Docker: a real Kafka broker (KRaft) and PostgreSQL (embedded, or the one
# named by PG_URL), the services from their production jars, and a demo tenant onboarded through the
# tenant registry's admin API with a locally signed admin token.
#
#   deploy/local/stack.sh up       build what is missing, start everything, print URL and token
#   deploy/local/stack.sh down     stop everything it started, by process id
#   deploy/local/stack.sh status   what is running
#
# Settings (environment):
#   PG_URL          postgresql://user:password@host:port/db  use this PostgreSQL instead of the embedded one
#   PHUB_KAFKA_SECURITY  plaintext (default) or sasl: the broker requires SASL SCRAM-SHA-512 logins
#                   and applies the ACL matrix (docs/security.md); each service logs in as its own
#                   principal with the settings in $PHUB_STACK_DIR/kafka/<service>.properties. Fixed
#                   when the broker's data is first created (delete .local-stack/data/kafka to switch)
#   GATEWAY_PORT    SCIM gateway port (default 8080)
#   PROCESSOR_PORT  processor HTTP port, no public API (default 8081)
#   REGISTRY_PORT   tenant registry admin API port (default 8082)
#   AUDIT_PORT      audit-log support API port (default 8083)
#   WEBHOOKS_PORT   webhooks admin API port (default 8084)
#   CONSOLE_PORT    web console port (default 8085): the customer's setup page and provisioning
#                   log at http://127.0.0.1:$CONSOLE_PORT/console, opened with a setup link
#   OIDC_PORT       the operators' local identity provider (default 8086): testkit's LocalOidc, a
#                   login page that takes any user name (role provisioning-admin preset) for the
#                   operator pages at http://127.0.0.1:$CONSOLE_PORT/console/operator. Local use only
#   GRAPH_SYNC_PORT Microsoft Graph sync admin API port (default 8087)
#   SAML_JIT_PORT   SAML just-in-time provisioning: per-tenant service provider and admin API
#                   (default 8088)
#   GRAPH_SIMULATOR true (default) or false: a stand-in for Entra ID and Microsoft Graph on
#                   127.0.0.1:$GRAPH_SIMULATOR_PORT (default 8090; testkit's GraphSimulator, a generated
#                   directory of GRAPH_SIMULATOR_USERS users and GRAPH_SIMULATOR_GROUPS groups, 50 and
#                   5 by default) that graph-sync reads; its app registration is in credentials.env
#                   (GRAPH_SIMULATOR_*). Off when GRAPH_AUTHORITY_URL or GRAPH_URL is set
#   GRAPH_AUTHORITY_URL, GRAPH_URL  where graph-sync gets Entra tokens and reads Graph instead
#                   (https://login.microsoftonline.com and https://graph.microsoft.com/v1.0 for the
#                   real ones; graph-sync/README.md)
#   GATEWAY_MGMT_PORT, PROCESSOR_MGMT_PORT, REGISTRY_MGMT_PORT, AUDIT_MGMT_PORT, WEBHOOKS_MGMT_PORT,
#   CONSOLE_MGMT_PORT, GRAPH_SYNC_MGMT_PORT, SAML_JIT_MGMT_PORT
#                   management ports: /q/health/ready, /q/health/live and /q/metrics (Prometheus)
#                   (defaults 9080, 9081, 9082, 9083, 9084, 9085, 9087)
#   PHUB_EXPORTERS  true/false: run the Kafka and PostgreSQL exporters (the broker's JMX exporter
#                   agent, and prometheus-postgres-exporter); default true when that binary is
#                   installed (apt-get install prometheus-postgres-exporter)
#   PHUB_LOG_JSON   false for plain-text service logs (default: JSON lines)
#   PHUB_STACK_DIR  state, data and logs (default .local-stack at the repository root)
#   SERVICE_JVM_OPTS  memory settings of every service (default below: each stays under 300 MB RSS)
#   PROCESSOR_INSTANCES processor processes (default 1); instance i > 1 listens on PROCESSOR_PORT and
#                   PROCESSOR_MGMT_PORT + 100 x (i - 1). They share the commands topic's partitions.
#   PROCESSOR_JVM_OPTS  the processor's own (after SERVICE_JVM_OPTS; default a smaller heap: its
#                   metaspace is the largest, and its live heap ~25 MB). Its peak during the first
#                   minutes of load is 308-322 MB; add -XX:-TieredCompilation to stay under 300 MB
#                   for about 10 % more CPU per write (docs/benchmarks.md, "Processor memory")
#   MALLOC_ARENA_MAX glibc malloc arenas per service process (default 2: fewer, smaller native heaps)
#   JAVA_OPTS       extra JVM options for the services (after SERVICE_JVM_OPTS, so they win)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${PHUB_STACK_DIR:-$ROOT/.local-stack}"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
PROCESSOR_PORT="${PROCESSOR_PORT:-8081}"
REGISTRY_PORT="${REGISTRY_PORT:-8082}"
AUDIT_PORT="${AUDIT_PORT:-8083}"
WEBHOOKS_PORT="${WEBHOOKS_PORT:-8084}"
CONSOLE_PORT="${CONSOLE_PORT:-8085}"
OIDC_PORT="${OIDC_PORT:-8086}"
GRAPH_SYNC_PORT="${GRAPH_SYNC_PORT:-8087}"
SAML_JIT_PORT="${SAML_JIT_PORT:-8088}"
GATEWAY_MGMT_PORT="${GATEWAY_MGMT_PORT:-9080}"
PROCESSOR_MGMT_PORT="${PROCESSOR_MGMT_PORT:-9081}"
REGISTRY_MGMT_PORT="${REGISTRY_MGMT_PORT:-9082}"
AUDIT_MGMT_PORT="${AUDIT_MGMT_PORT:-9083}"
WEBHOOKS_MGMT_PORT="${WEBHOOKS_MGMT_PORT:-9084}"
CONSOLE_MGMT_PORT="${CONSOLE_MGMT_PORT:-9085}"
GRAPH_SYNC_MGMT_PORT="${GRAPH_SYNC_MGMT_PORT:-9087}"
SAML_JIT_MGMT_PORT="${SAML_JIT_MGMT_PORT:-9088}"
GRAPH_SIMULATOR_PORT="${GRAPH_SIMULATOR_PORT:-8090}"
GRAPH_SIMULATOR_USERS="${GRAPH_SIMULATOR_USERS:-50}"
GRAPH_SIMULATOR_GROUPS="${GRAPH_SIMULATOR_GROUPS:-5}"
if [[ -n "${GRAPH_AUTHORITY_URL:-}${GRAPH_URL:-}" ]]; then
  GRAPH_SIMULATOR="${GRAPH_SIMULATOR:-false}"
else
  GRAPH_SIMULATOR="${GRAPH_SIMULATOR:-true}"
fi
if [[ "$GRAPH_SIMULATOR" == true ]]; then
  GRAPH_AUTHORITY_URL="http://127.0.0.1:$GRAPH_SIMULATOR_PORT"
  GRAPH_URL="$GRAPH_AUTHORITY_URL/v1.0"
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Live data of a service is a few tens of MB; the rest of its footprint is metaspace (~90 MB for the
# processor), code cache and thread stacks. A small heap with the serial collector keeps each service
# under 300 MB resident (docs/benchmarks.md); raise -Xmx for very large groups or heavy read load.
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
PROCESSOR_JVM_OPTS="${PROCESSOR_JVM_OPTS:--Xmx64m -Xmn20m}"
PROCESSOR_INSTANCES="${PROCESSOR_INSTANCES:-1}"
SERVICE_JVM_OPTS="${SERVICE_JVM_OPTS:--Xmx96m -Xmn32m -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000}"

TESTKIT_CLASSES="$ROOT/testkit/target/classes"
TESTKIT_CP="$TESTKIT_CLASSES/io/provisioninghub/testkit/runtime.classpath"
GATEWAY_JAR="$ROOT/scim-gateway/target/quarkus-app/quarkus-run.jar"
PROCESSOR_JAR="$ROOT/provisioning-processor/target/quarkus-app/quarkus-run.jar"
REGISTRY_JAR="$ROOT/tenant-registry/target/quarkus-app/quarkus-run.jar"
AUDIT_JAR="$ROOT/audit-log/target/quarkus-app/quarkus-run.jar"
WEBHOOKS_JAR="$ROOT/webhooks/target/quarkus-app/quarkus-run.jar"
CONSOLE_JAR="$ROOT/console/target/quarkus-app/quarkus-run.jar"
GRAPH_SYNC_JAR="$ROOT/graph-sync/target/quarkus-app/quarkus-run.jar"
SAML_JIT_JAR="$ROOT/saml-jit/target/quarkus-app/quarkus-run.jar"
PHUBCTL_JAR="$ROOT/dead-letters/target/phubctl.jar"
ADMIN_ISSUER="provisioninghub-local-admin"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pid_of() { [[ -f "$PIDS/$1.pid" ]] && cat "$PIDS/$1.pid" || true; }
alive() { local pid; pid="$(pid_of "$1")"; [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }

build_if_missing() {
  if [[ -f "$TESTKIT_CP" && -f "$GATEWAY_JAR" && -f "$PROCESSOR_JAR" && -f "$AUDIT_JAR" && -f "$REGISTRY_JAR" \
        && -f "$WEBHOOKS_JAR" && -f "$CONSOLE_JAR" && -f "$GRAPH_SYNC_JAR" && -f "$SAML_JIT_JAR" \
        && -f "$PHUBCTL_JAR" ]]; then
    # Built before: rebuild only if a source or build file changed since (a pull, an edit), so the
    # stack never runs jars older than the checkout.
    local oldest jar
    oldest="$GATEWAY_JAR"
    for jar in "$PROCESSOR_JAR" "$AUDIT_JAR" "$REGISTRY_JAR" "$WEBHOOKS_JAR" "$CONSOLE_JAR" "$GRAPH_SYNC_JAR" \
        "$SAML_JIT_JAR" "$PHUBCTL_JAR" "$TESTKIT_CP"; do
      [[ "$jar" -ot "$oldest" ]] && oldest="$jar"
    done
    if [[ -z "$(cd "$ROOT" && find contracts scim-core service-support testkit scim-gateway \
          provisioning-processor tenant-registry audit-log webhooks console graph-sync saml-jit dead-letters \
          \( -path '*/src/*' -o -name pom.xml \) -type f -newer "$oldest" -print -quit 2>/dev/null)" \
        && ! "$ROOT/pom.xml" -nt "$oldest" ]]; then
      return
    fi
    log "sources changed since the last build; rebuilding the services ..."
  else
    log "building the services (first run) ..."
  fi
  # Two modules at a time (-T 2): after the shared ones, the services build independently.
  (cd "$ROOT" && mvn -B -q -T 2 -Dmaven.test.skip=true -Dspotless.skip=true install \
      -pl testkit,scim-gateway,provisioning-processor,tenant-registry,audit-log,webhooks,console,graph-sync,saml-jit,dead-letters -am) >"$LOGS/build.log" 2>&1 \
    || die "build failed; see $LOGS/build.log"
  # The dependency plugin leaves the class path file alone when it has not changed; it is current
  # now, so the next start does not see it as older than the sources and build again.
  touch "$TESTKIT_CP"
}

wait_for() { # name description timeout-seconds command...: also fails at once if the process died
  local name="$1" what="$2" timeout="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || die "$what exited; see $LOGS/$name.log"
    ((SECONDS < deadline)) || die "$what not ready within ${timeout}s; see $LOGS"
    sleep 0.5
  done
}

ready() { curl -fsS "http://127.0.0.1:$1/q/health/ready"; }

start_java() { # name log args...
  local name="$1"; shift
  MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX" nohup "$JAVA" "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! >"$PIDS/$name.pid"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

up() {
  mkdir -p "$LOGS" "$PIDS"
  if alive gateway && alive processor && alive registry && alive audit && alive webhooks && alive console \
      && alive graph-sync && alive saml-jit && alive oidc && alive infra \
      && { [[ "$GRAPH_SIMULATOR" != true ]] || alive graphsim; }; then
    log "already running"
    print_credentials
    return
  fi
  down quiet
  build_if_missing
  port_free "$GATEWAY_PORT" || die "port $GATEWAY_PORT is in use; set GATEWAY_PORT"
  port_free "$PROCESSOR_PORT" || die "port $PROCESSOR_PORT is in use; set PROCESSOR_PORT"
  port_free "$REGISTRY_PORT" || die "port $REGISTRY_PORT is in use; set REGISTRY_PORT"
  port_free "$AUDIT_PORT" || die "port $AUDIT_PORT is in use; set AUDIT_PORT"
  port_free "$WEBHOOKS_PORT" || die "port $WEBHOOKS_PORT is in use; set WEBHOOKS_PORT"
  port_free "$CONSOLE_PORT" || die "port $CONSOLE_PORT is in use; set CONSOLE_PORT"
  port_free "$GRAPH_SYNC_PORT" || die "port $GRAPH_SYNC_PORT is in use; set GRAPH_SYNC_PORT"
  port_free "$SAML_JIT_PORT" || die "port $SAML_JIT_PORT is in use; set SAML_JIT_PORT"
  port_free "$OIDC_PORT" || die "port $OIDC_PORT is in use; set OIDC_PORT"
  [[ "$GRAPH_SIMULATOR" != true ]] || port_free "$GRAPH_SIMULATOR_PORT" \
    || die "port $GRAPH_SIMULATOR_PORT is in use; set GRAPH_SIMULATOR_PORT (or GRAPH_SIMULATOR=false)"
  local mgmt
  for mgmt in GATEWAY_MGMT_PORT PROCESSOR_MGMT_PORT REGISTRY_MGMT_PORT AUDIT_MGMT_PORT WEBHOOKS_MGMT_PORT \
      CONSOLE_MGMT_PORT GRAPH_SYNC_MGMT_PORT SAML_JIT_MGMT_PORT; do
    port_free "${!mgmt}" || die "port ${!mgmt} is in use; set $mgmt"
  done

  local exporters="${PHUB_EXPORTERS:-}"
  if [[ -z "$exporters" ]]; then
    exporters=false
    if [[ -x /usr/bin/prometheus-postgres-exporter || -n "${PHUB_POSTGRES_EXPORTER:-}" ]]; then
      exporters=true
    else
      log "no prometheus-postgres-exporter: Kafka and PostgreSQL metrics off (apt-get install prometheus-postgres-exporter)"
    fi
  fi
  log "starting Kafka and PostgreSQL ..."
  rm -f "$STATE/infra.env"
  PHUB_PG_URL="${PG_URL:-}" PHUB_KAFKA_SECURITY="${PHUB_KAFKA_SECURITY:-plaintext}" \
    PHUB_EXPORTERS="$exporters" start_java infra \
    -Xmx256m -cp "$TESTKIT_CLASSES:$(cat "$TESTKIT_CP")" \
    io.provisioninghub.testkit.LocalInfra "$STATE"
  start_oidc
  [[ "$GRAPH_SIMULATOR" != true ]] || start_graph_simulator
  wait_for infra "Kafka and PostgreSQL" 180 test -f "$STATE/infra.env"
  # shellcheck disable=SC1091
  source "$STATE/infra.env"

  # Credentials go in file-backed config sources, never on a command line (ps shows arguments).
  # LocalInfra wrote each service's Kafka settings (kafka/<principal>.properties: its login on a
  # secured broker) and the tenant snapshot signing key pair (registry: private, gateway: public).
  local kafka="$STATE/kafka"
  local dbconf="$STATE/db.properties"
  (umask 077
   printf 'quarkus.datasource.username=%s\nquarkus.datasource.password=%s\n' "$PG_USER" "$PG_PASSWORD" >"$dbconf")
  local db=(
    "-Dkafka.bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS"
    "-Dquarkus.datasource.reactive.url=$PG_REACTIVE_URL"
  )

  admin_keys
  registry_secret_key
  log "starting tenant-registry on 127.0.0.1:$REGISTRY_PORT ..."
  # Its setup links point at this stack's console.
  # shellcheck disable=SC2086
  start_java registry $SERVICE_JVM_OPTS ${JAVA_OPTS:-} "-Dkafka.bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" \
    "-Dquarkus.datasource.jdbc.url=$PG_JDBC_URL" "-Dphub.registry.console-base-url=http://127.0.0.1:$CONSOLE_PORT" \
    "-Dquarkus.config.locations=file:$dbconf,file:$STATE/registry-admin.properties,file:$kafka/tenant-registry.properties,file:$STATE/snapshot-signing-registry.properties,file:$STATE/registry-secrets.properties" \
    "-Dquarkus.http.port=$REGISTRY_PORT" "-Dquarkus.management.port=$REGISTRY_MGMT_PORT" \
    -jar "$REGISTRY_JAR"
  wait_for registry "tenant-registry" 180 ready "$REGISTRY_MGMT_PORT"
  onboard_demo
  local token; token="$(cat "$STATE/demo.token")"

  # The other services need only the registry, the broker and the database to start: they start
  # together, and are waited for once all are launched.
  # Instance 1 is "processor" on the configured ports; instance i > 1 is "processor<i>", 100 x (i - 1) higher.
  local i name p m
  for ((i = 1; i <= PROCESSOR_INSTANCES; i++)); do
    name=processor; ((i == 1)) || name="processor$i"
    p=$((PROCESSOR_PORT + 100 * (i - 1))) m=$((PROCESSOR_MGMT_PORT + 100 * (i - 1)))
    log "starting provisioning-processor ($name) on 127.0.0.1:$p ..."
    # shellcheck disable=SC2086
    start_java "$name" $SERVICE_JVM_OPTS $PROCESSOR_JVM_OPTS ${JAVA_OPTS:-} "${db[@]}" \
      "-Dquarkus.datasource.jdbc.url=$PG_JDBC_URL" \
      "-Dquarkus.config.locations=file:$dbconf,file:$kafka/provisioning-processor.properties,file:$STATE/snapshot-signing-processor.properties" \
      "-Dquarkus.http.port=$p" "-Dquarkus.management.port=$m" -jar "$PROCESSOR_JAR"
  done

  app_keys
  sources_keys
  log "starting scim-gateway on 127.0.0.1:$GATEWAY_PORT ..."
  # It verifies the application's tokens (/app/v1) and graph-sync's service tokens (ADR 0022).
  # shellcheck disable=SC2086
  start_java gateway $SERVICE_JVM_OPTS ${JAVA_OPTS:-} "${db[@]}" \
    "-Dquarkus.config.locations=file:$dbconf,file:$kafka/scim-gateway.properties,file:$STATE/snapshot-signing-gateway.properties" \
    "-Dphub.gateway.app.public-key-location=$STATE/app-key.pub.pem" \
    "-Dphub.gateway.sources.public-key-location=$STATE/sources-key.pub.pem" \
    "-Dquarkus.http.port=$GATEWAY_PORT" "-Dquarkus.management.port=$GATEWAY_MGMT_PORT" \
    -jar "$GATEWAY_JAR"

  support_keys
  log "starting audit-log on 127.0.0.1:$AUDIT_PORT ..."
  # shellcheck disable=SC2086
  start_java audit $SERVICE_JVM_OPTS ${JAVA_OPTS:-} "-Dkafka.bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" \
    "-Dquarkus.datasource.jdbc.url=$PG_JDBC_URL" \
    "-Dquarkus.config.locations=file:$dbconf,file:$kafka/audit-log.properties" \
    "-Dmp.jwt.verify.publickey.location=$STATE/support-public.pem" \
    "-Dquarkus.http.port=$AUDIT_PORT" "-Dquarkus.management.port=$AUDIT_MGMT_PORT" \
    -jar "$AUDIT_JAR"

  webhooks_keys
  log "starting webhooks on 127.0.0.1:$WEBHOOKS_PORT ..."
  # The registry's admin key verifies admin tokens here too; deliveries may go to loopback (a local
  # receiver), which production refuses.
  # shellcheck disable=SC2086
  start_java webhooks $SERVICE_JVM_OPTS ${JAVA_OPTS:-} "-Dkafka.bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" \
    "-Dquarkus.datasource.jdbc.url=$PG_JDBC_URL" \
    "-Dquarkus.config.locations=file:$dbconf,file:$kafka/webhooks.properties,file:$STATE/webhooks.properties" \
    "-Dquarkus.http.port=$WEBHOOKS_PORT" "-Dquarkus.management.port=$WEBHOOKS_MGMT_PORT" \
    -jar "$WEBHOOKS_JAR"

  # The console reads the identity provider's discovery document when it starts.
  wait_for oidc "the operators' local OIDC provider" 60 test -f "$STATE/oidc.env"
  # shellcheck disable=SC1091
  source "$STATE/oidc.env"
  console_keys
  log "starting console on 127.0.0.1:$CONSOLE_PORT ..."
  # It signs its own short-lived tokens per call with the stack's admin and support keys (the
  # registry and the audit log already trust their public halves). Plain http on 127.0.0.1: cookies
  # without Secure (ADR 0021). The session key and the operators' OIDC client are in a file-backed
  # config source; the dead-letter pages log in to the broker as the dead-letters principal, as
  # phubctl does (kafka/dead-letters.properties: bootstrap servers and, on a secured broker, SASL).
  # shellcheck disable=SC2086
  start_java console $SERVICE_JVM_OPTS ${JAVA_OPTS:-} \
    "-Dquarkus.config.locations=file:$STATE/console.properties,file:$kafka/dead-letters.properties" \
    "-Dphub.console.admin-signing-key-location=$STATE/admin-key.pem" \
    "-Dphub.console.support-signing-key-location=$STATE/support-private.pem" \
    "-Dphub.console.registry-url=http://127.0.0.1:$REGISTRY_PORT" \
    "-Dphub.console.audit-url=http://127.0.0.1:$AUDIT_PORT" \
    "-Dphub.console.scim-base-url=http://127.0.0.1:$GATEWAY_PORT/scim/v2" \
    "-Dphub.console.cookie-secure=false" \
    "-Dquarkus.http.port=$CONSOLE_PORT" "-Dquarkus.management.port=$CONSOLE_MGMT_PORT" \
    -jar "$CONSOLE_JAR"

  graph_sync_keys
  log "starting graph-sync on 127.0.0.1:$GRAPH_SYNC_PORT ..."
  # Writes through this stack's gateway with tokens it signs (sources key); admin tokens as for the
  # registry; Entra and Graph at GRAPH_AUTHORITY_URL / GRAPH_URL (the simulator by default). It
  # follows tenants.v1 as principal graph-sync: a deletion the registry signed removes the tenant's
  # settings, rounds and objects (saml-jit likewise, as principal saml-jit).
  # shellcheck disable=SC2086
  start_java graph-sync $SERVICE_JVM_OPTS ${JAVA_OPTS:-} \
    "-Dquarkus.datasource.jdbc.url=$PG_JDBC_URL" "-Dkafka.bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" \
    "-Dquarkus.config.locations=file:$dbconf,file:$STATE/graph-sync.properties,file:$kafka/graph-sync.properties,file:$STATE/snapshot-signing-graph-sync.properties" \
    "-Dphub.graph-sync.scim.base-url=http://127.0.0.1:$GATEWAY_PORT/scim/v2" \
    "-Dphub.graph-sync.scim.signing-key-location=$STATE/sources-key.pem" \
    ${GRAPH_AUTHORITY_URL:+"-Dphub.graph-sync.authority-url=$GRAPH_AUTHORITY_URL"} \
    ${GRAPH_URL:+"-Dphub.graph-sync.graph-url=$GRAPH_URL"} \
    "-Dquarkus.http.port=$GRAPH_SYNC_PORT" "-Dquarkus.management.port=$GRAPH_SYNC_MGMT_PORT" \
    -jar "$GRAPH_SYNC_JAR"

  saml_jit_keys
  log "starting saml-jit on 127.0.0.1:$SAML_JIT_PORT ..."
  # Each tenant's SAML service provider: sign-ins write through this stack's gateway with tokens
  # signed with the sources key (as graph-sync's; source saml-jit); admin tokens as for the
  # registry; browsers reach it at its loopback address.
  # shellcheck disable=SC2086
  start_java saml-jit $SERVICE_JVM_OPTS ${JAVA_OPTS:-} \
    "-Dquarkus.datasource.jdbc.url=$PG_JDBC_URL" "-Dkafka.bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" \
    "-Dquarkus.config.locations=file:$dbconf,file:$STATE/saml-jit.properties,file:$kafka/saml-jit.properties,file:$STATE/snapshot-signing-saml-jit.properties" \
    "-Dphub.saml-jit.public-base-url=http://127.0.0.1:$SAML_JIT_PORT" \
    "-Dphub.saml-jit.scim.base-url=http://127.0.0.1:$GATEWAY_PORT/scim/v2" \
    "-Dphub.saml-jit.scim.signing-key-location=$STATE/sources-key.pem" \
    "-Dquarkus.http.port=$SAML_JIT_PORT" "-Dquarkus.management.port=$SAML_JIT_MGMT_PORT" \
    -jar "$SAML_JIT_JAR"

  for ((i = 1; i <= PROCESSOR_INSTANCES; i++)); do
    name=processor; ((i == 1)) || name="processor$i"
    wait_for "$name" "provisioning-processor ($name)" 180 ready "$((PROCESSOR_MGMT_PORT + 100 * (i - 1)))"
  done
  wait_for gateway "scim-gateway" 180 ready "$GATEWAY_MGMT_PORT"
  wait_for audit "audit-log" 180 ready "$AUDIT_MGMT_PORT"
  wait_for webhooks "webhooks" 180 ready "$WEBHOOKS_MGMT_PORT"
  wait_for console "console" 180 ready "$CONSOLE_MGMT_PORT"
  wait_for graph-sync "graph-sync" 180 ready "$GRAPH_SYNC_MGMT_PORT"
  wait_for saml-jit "saml-jit" 180 ready "$SAML_JIT_MGMT_PORT"
  if [[ "$GRAPH_SIMULATOR" == true ]]; then
    wait_for graphsim "the Graph simulator" 60 test -f "$STATE/graph-simulator.env"
  fi

  (umask 077; {
    echo "SCIM_BASE_URL=http://127.0.0.1:$GATEWAY_PORT/scim/v2"
    echo "SCIM_TOKEN=$token"
    echo "ADMIN_BASE_URL=http://127.0.0.1:$REGISTRY_PORT/admin/v1"
    echo "ADMIN_TOKEN=$(cat "$STATE/admin.token")"
    echo "AUDIT_BASE_URL=http://127.0.0.1:$AUDIT_PORT/audit/v1"
    echo "SUPPORT_TOKEN=$(cat "$STATE/support.token")"
    echo "APP_BASE_URL=http://127.0.0.1:$GATEWAY_PORT/app/v1"
    echo "APP_TOKEN=$(cat "$STATE/app.token")"
    echo "GATEWAY_METRICS_URL=http://127.0.0.1:$GATEWAY_MGMT_PORT/q/metrics"
    echo "PROCESSOR_METRICS_URL=http://127.0.0.1:$PROCESSOR_MGMT_PORT/q/metrics"
    echo "REGISTRY_METRICS_URL=http://127.0.0.1:$REGISTRY_MGMT_PORT/q/metrics"
    echo "AUDIT_METRICS_URL=http://127.0.0.1:$AUDIT_MGMT_PORT/q/metrics"
    echo "WEBHOOKS_BASE_URL=http://127.0.0.1:$WEBHOOKS_PORT/admin/v1/webhooks"
    echo "WEBHOOKS_METRICS_URL=http://127.0.0.1:$WEBHOOKS_MGMT_PORT/q/metrics"
    echo "CONSOLE_URL=http://127.0.0.1:$CONSOLE_PORT"
    echo "CONSOLE_METRICS_URL=http://127.0.0.1:$CONSOLE_MGMT_PORT/q/metrics"
    # The operator pages and their local identity provider (any user name; role preset).
    echo "OPERATOR_CONSOLE_URL=http://127.0.0.1:$CONSOLE_PORT/console/operator"
    echo "OIDC_ISSUER=$OIDC_ISSUER"
    echo "GRAPH_SYNC_BASE_URL=http://127.0.0.1:$GRAPH_SYNC_PORT/admin/v1"
    echo "GRAPH_SYNC_METRICS_URL=http://127.0.0.1:$GRAPH_SYNC_MGMT_PORT/q/metrics"
    echo "SAML_JIT_BASE_URL=http://127.0.0.1:$SAML_JIT_PORT"
    echo "SAML_JIT_METRICS_URL=http://127.0.0.1:$SAML_JIT_MGMT_PORT/q/metrics"
    # The Graph simulator graph-sync reads, and the app registration it accepts (GRAPH_SIMULATOR).
    [[ "$GRAPH_SIMULATOR" != true ]] || cat "$STATE/graph-simulator.env"
    # The exporters of the broker and the database, when they run (PHUB_EXPORTERS).
    [[ -z "${KAFKA_METRICS_URL:-}" ]] || echo "KAFKA_METRICS_URL=$KAFKA_METRICS_URL"
    [[ -z "${POSTGRES_METRICS_URL:-}" ]] || echo "POSTGRES_METRICS_URL=$POSTGRES_METRICS_URL"
    # The broker, for operator tools such as phubctl's dead-letters commands (its login on a
    # secured broker: --command-config $STATE/kafka/dead-letters.client.properties;
    # deploy/local/phubctl passes it).
    echo "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS"
    echo "KAFKA_SECURITY=$KAFKA_SECURITY"
    # This stack's directory: deploy/local/phubctl and testkit's PoisonCommand read the broker
    # logins from it (the console's browser tests use both).
    echo "PHUB_STACK_DIR=$STATE"
  } >"$STATE/credentials.env")
  log "up"
  print_credentials
}

# The webhooks service's settings (kept across restarts): the admin public key and issuer (the
# registry's admin tokens work there too), the key that encrypts endpoint secrets at rest, and
# loopback receivers allowed (local only).
webhooks_keys() {
  local key="$STATE/webhooks-secret.key" pub="$STATE/admin-key.pub.pem"
  if [[ ! -s "$key" ]]; then
    (umask 077; openssl rand -base64 32 >"$key") || die "openssl cannot generate the webhooks key"
  fi
  (umask 077
   printf 'mp.jwt.verify.publickey=%s\nmp.jwt.verify.issuer=%s\nphub.webhooks.secret-encryption-key=%s\nphub.webhooks.allow-private-targets=true\n' \
     "$(sed '1d;$d' "$pub" | tr -d '\n')" "$ADMIN_ISSUER" "$(cat "$key")" >"$STATE/webhooks.properties")
}

# The source services' key pair (kept across restarts): graph-sync signs its service tokens with the
# private half, the gateway verifies them with the public half (ADR 0022).
sources_keys() {
  local key="$STATE/sources-key.pem" pub="$STATE/sources-key.pub.pem"
  if [[ ! -s "$key" || ! -s "$pub" ]]; then
    (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null) \
      || die "openssl cannot generate the sources key"
    openssl pkey -in "$key" -pubout -out "$pub" 2>/dev/null || die "openssl cannot derive the public key"
  fi
}

# The key that encrypts the client secrets of the customers' console sign-in at rest in the
# registry (kept across restarts, like graph-sync's).
registry_secret_key() {
  local key="$STATE/registry-secret.key"
  if [[ ! -s "$key" ]]; then
    (umask 077; openssl rand -base64 32 >"$key") || die "openssl cannot generate the registry key"
  fi
  (umask 077
   printf 'phub.registry.secret-encryption-key=%s\n' "$(cat "$key")" >"$STATE/registry-secrets.properties")
}

# graph-sync's settings (kept across restarts): the admin public key and issuer, and the key that
# encrypts Entra client secrets at rest.
graph_sync_keys() {
  local key="$STATE/graph-sync-secret.key" pub="$STATE/admin-key.pub.pem"
  if [[ ! -s "$key" ]]; then
    (umask 077; openssl rand -base64 32 >"$key") || die "openssl cannot generate the graph-sync key"
  fi
  (umask 077
   printf 'mp.jwt.verify.publickey=%s\nmp.jwt.verify.issuer=%s\nphub.graph-sync.secret-encryption-key=%s\n' \
     "$(sed '1d;$d' "$pub" | tr -d '\n')" "$ADMIN_ISSUER" "$(cat "$key")" >"$STATE/graph-sync.properties")
}

# saml-jit's settings: the admin public key and issuer (it signs its gateway tokens with the
# sources key, as graph-sync does).
saml_jit_keys() {
  local pub="$STATE/admin-key.pub.pem"
  (umask 077
   printf 'mp.jwt.verify.publickey=%s\nmp.jwt.verify.issuer=%s\n' \
     "$(sed '1d;$d' "$pub" | tr -d '\n')" "$ADMIN_ISSUER" >"$STATE/saml-jit.properties")
}

# A stand-in for Entra ID's token endpoint and Microsoft Graph's delta queries (testkit's
# GraphSimulator), so that Graph sync can be tried without a Microsoft tenant. It writes its address
# and the app registration it accepts (a client secret made at start) to a private file.
start_graph_simulator() {
  rm -f "$STATE/graph-simulator.env"
  log "starting the Graph simulator on 127.0.0.1:$GRAPH_SIMULATOR_PORT ($GRAPH_SIMULATOR_USERS users, $GRAPH_SIMULATOR_GROUPS groups) ..."
  start_java graphsim -Xmx48m -XX:+UseSerialGC -cp "$TESTKIT_CLASSES:$(cat "$TESTKIT_CP")" \
    io.provisioninghub.testkit.GraphSimulator "$GRAPH_SIMULATOR_PORT" "$STATE/graph-simulator.env" \
    "$GRAPH_SIMULATOR_USERS" "$GRAPH_SIMULATOR_GROUPS"
}

# The operators' identity provider: testkit's LocalOidc on 127.0.0.1:$OIDC_PORT, with the console
# as its one client. It asks no password (any user name, roles typed in the form): local use only.
# The client secret (kept across restarts) is read from a private file, never passed as an argument.
start_oidc() {
  local secret="$STATE/oidc-client.secret"
  if [[ ! -s "$secret" ]]; then
    (umask 077; openssl rand -hex 32 >"$secret") || die "openssl cannot generate the OIDC client secret"
  fi
  rm -f "$STATE/oidc.env"
  log "starting the operators' local OIDC provider on 127.0.0.1:$OIDC_PORT ..."
  start_java oidc -Xmx32m -XX:+UseSerialGC -cp "$TESTKIT_CLASSES:$(cat "$TESTKIT_CP")" \
    io.provisioninghub.testkit.LocalOidc "$OIDC_PORT" "$STATE/oidc.env" phub-console "$secret"
}

# The console's session key (kept across restarts, so sessions survive a restart of the console) and
# the operator pages' OIDC client at the local provider (start_oidc), in one private file. The
# provider's origin joins the CSP's form-action: the operators' logout form redirects there.
console_keys() {
  local key="$STATE/console-session.key"
  if [[ ! -s "$key" ]]; then
    (umask 077; openssl rand -base64 32 >"$key") || die "openssl cannot generate the console's session key"
  fi
  (umask 077
   printf '%s\n' \
     "phub.console.session-key=$(cat "$key")" \
     "quarkus.oidc.tenant-enabled=true" \
     "quarkus.oidc.auth-server-url=$OIDC_ISSUER" \
     "quarkus.oidc.client-id=phub-console" \
     "quarkus.oidc.credentials.secret=$(cat "$STATE/oidc-client.secret")" \
     "phub.console.form-action='self' http://127.0.0.1:$OIDC_PORT" >"$STATE/console.properties")
}

# The key pair the audit-log trusts for support tokens (kept across restarts) and a fresh token.
support_keys() {
  local key="$STATE/support-private.pem" pub="$STATE/support-public.pem"
  if [[ ! -s "$key" || ! -s "$pub" ]]; then
    (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null) \
      || die "openssl cannot generate the support key"
    openssl pkey -in "$key" -pubout -out "$pub" 2>/dev/null || die "openssl cannot derive the public key"
  fi
  (umask 077
   bash "$ROOT/audit-log/scripts/mint-support-token.sh" "$key" provisioninghub-support local-support 43200 '*' \
     >"$STATE/support.token") || die "cannot mint the support token"
}

# The local admin key pair (kept across restarts) and a fresh admin token signed with it. The
# registry trusts the public half; no OIDC server is involved.
admin_keys() {
  local key="$STATE/admin-key.pem" pub="$STATE/admin-key.pub.pem"
  if [[ ! -s "$key" || ! -s "$pub" ]]; then
    (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null) \
      || die "openssl cannot generate the admin key"
    openssl pkey -in "$key" -pubout -out "$pub" 2>/dev/null || die "openssl cannot derive the public key"
  fi
  printf 'quarkus.oidc.public-key=%s\nquarkus.oidc.token.issuer=%s\n' \
    "$(sed '1d;$d' "$pub" | tr -d '\n')" "$ADMIN_ISSUER" >"$STATE/registry-admin.properties"
  (umask 077
   "$JAVA" -cp "$TESTKIT_CLASSES" io.provisioninghub.testkit.AdminTokens "$key" 12 >"$STATE/admin.token"
   printf 'Authorization: Bearer %s\n' "$(cat "$STATE/admin.token")" >"$STATE/admin.header")
}

# The vendor application's key pair for the read API (kept across restarts) and a fresh token: the
# gateway trusts the public half (phub.gateway.app.public-key-location).
app_keys() {
  local key="$STATE/app-key.pem" pub="$STATE/app-key.pub.pem"
  if [[ ! -s "$key" || ! -s "$pub" ]]; then
    (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null) \
      || die "openssl cannot generate the application key"
    openssl pkey -in "$key" -pubout -out "$pub" 2>/dev/null || die "openssl cannot derive the public key"
  fi
  (umask 077
   "$JAVA" -cp "$TESTKIT_CLASSES" io.provisioninghub.testkit.AdminTokens "$key" 12 app >"$STATE/app.token")
}

admin() { # method path [json] -> body on stdout, HTTP status on the last line
  local url="http://127.0.0.1:$REGISTRY_PORT/admin/v1$2" data=()
  [[ $# -ge 3 ]] && data=(--data "$3")
  # The token is read from a file so it never shows in the process list.
  curl -sS -X "$1" -H @"$STATE/admin.header" -H 'Content-Type: application/json' \
    "${data[@]}" -w '\n%{http_code}' "$url"
}

# The demo tenant and its SCIM secret: created once, kept across restarts (the registry keeps only
# the hash; the secret lives in $STATE/demo.token, readable by this user only).
onboard_demo() {
  local reply status
  reply="$(admin POST /tenants '{"id":"demo","displayName":"Demo tenant"}')"
  status="$(tail -n1 <<<"$reply")"
  case "$status" in
    201) rm -f "$STATE/demo.token"; log "demo tenant created" ;;
    409) ;;
    *) die "cannot create the demo tenant (HTTP $status); see $LOGS/registry.log" ;;
  esac
  if [[ ! -s "$STATE/demo.token" ]]; then
    reply="$(admin POST /tenants/demo/credentials '{}')"
    status="$(tail -n1 <<<"$reply")"
    [[ "$status" == 201 ]] || die "cannot issue the demo credential (HTTP $status)"
    (umask 077; sed -n 's/.*"secret":"\([^"]*\)".*/\1/p' <<<"$reply" | sed -n 1p | tr -d '\n' >"$STATE/demo.token")
    [[ -s "$STATE/demo.token" ]] || die "the registry's answer carried no secret"
    log "demo credential issued"
  fi
}

# A one-time setup link for the demo tenant, as an operator would send it to the customer's admin: a
# fresh one each time, since a link works once.
console_login() {
  local reply status url
  reply="$(curl -sS -X POST -H @"$STATE/admin.header" -H 'Content-Type: application/json' --data '{}' \
    -w '\n%{http_code}' "$ADMIN_BASE_URL/tenants/demo/setup-links" 2>/dev/null)" || reply=$'\n000'
  status="$(tail -n1 <<<"$reply")"
  url="$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' <<<"$reply" | sed -n 1p)"
  if [[ "$status" == 201 && -n "$url" ]]; then
    echo "                log in as the demo tenant's admin with this setup link (works once, for 24 h):"
    echo "                $url"
    echo "                another one: deploy/local/phubctl tenants setup-link demo"
  elif [[ "$status" == 404 ]]; then
    echo "                (no setup link: this registry has no setup-link endpoint yet, so no login)"
  else
    echo "                (no setup link: the registry answered HTTP $status; try deploy/local/phubctl tenants setup-link demo)"
  fi
}

graph_simulator_hint() {
  if [[ -n "${GRAPH_SIMULATOR_URL:-}" ]]; then
    echo "                reading the Graph simulator at $GRAPH_SIMULATOR_URL (GRAPH_SIMULATOR_* in credentials.env);"
    echo "                README.md, \"Microsoft Graph sync\", syncs its directory into the demo tenant"
  else
    echo "                reading ${GRAPH_URL:-https://graph.microsoft.com/v1.0}"
  fi
}

print_credentials() {
  [[ -f "$STATE/credentials.env" ]] || return 0
  # shellcheck disable=SC1091
  source "$STATE/credentials.env"
  cat <<MSG
SCIM base URL : $SCIM_BASE_URL
Bearer token  : $SCIM_TOKEN
Admin API     : $ADMIN_BASE_URL  (token ADMIN_TOKEN)
Support API   : $AUDIT_BASE_URL  (token SUPPORT_TOKEN)
Webhooks API  : $WEBHOOKS_BASE_URL/endpoints  (token ADMIN_TOKEN)
Graph sync    : $GRAPH_SYNC_BASE_URL/tenants/<tenant>/graph-sync  (token ADMIN_TOKEN; graph-sync/README.md)
$(graph_simulator_hint)
SAML JIT      : $SAML_JIT_BASE_URL/admin/v1/tenants/<tenant>/saml  (token ADMIN_TOKEN; saml-jit/README.md),
                a tenant's IdP then signs in at $SAML_JIT_BASE_URL/saml/<tenant>/acs
App read API  : $APP_BASE_URL  (token APP_TOKEN: the vendor application's own credential)
Metrics       : $GATEWAY_METRICS_URL (processor, registry, audit, webhooks, graph-sync, kafka, postgres: *_METRICS_URL)
Console       : $CONSOLE_URL/console  (a customer's setup page and provisioning log)
$(console_login)
Operator pages: ${OPERATOR_CONSOLE_URL:-(restart the stack: deploy/local/stack.sh down && deploy/local/stack.sh up)}
                log in at the local identity provider (${OIDC_ISSUER:-}) with any user name; the role
                provisioning-admin is preset (empty it to see the 403 page). Local use only
Operator CLI  : deploy/local/phubctl --help   (phubctl with this stack's URLs, tokens and Kafka login;
                e.g. deploy/local/phubctl tenants list, deploy/local/phubctl dead-letters list)
Kafka         : $KAFKA_BOOTSTRAP_SERVERS (${KAFKA_SECURITY:-plaintext}; service logins in $STATE/kafka)
(also in $STATE/credentials.env; logs in $LOGS)
Try:  curl -H "Authorization: Bearer \$SCIM_TOKEN" "\$SCIM_BASE_URL/Users/<id>"
MSG
}

stop_all() { # name... : SIGTERM to all at once, then wait for each (40 s in all), SIGKILL leftovers
  local name pid deadline=$((SECONDS + 40)) names=()
  for name in "$@"; do
    pid="$(pid_of "$name")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      names+=("$name")
    else
      rm -f "$PIDS/$name.pid"
    fi
  done
  for name in "${names[@]}"; do
    pid="$(pid_of "$name")"
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop in time; killing $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDS/$name.pid"
  done
}

down() {
  [[ -d "$PIDS" ]] || { [[ "${1:-}" == quiet ]] || log "nothing to stop"; return 0; }
  # In two waves, each stopped in parallel: first what calls the gateway or stands beside it
  # (graph-sync writes through it), the gateway with its drain; then the processors, which
  # apply what the gateway published, and the registry; the broker and database last.
  stop_all graph-sync saml-jit console oidc graphsim webhooks audit gateway
  local extra processors=()
  for extra in "$PIDS"/processor?*.pid; do
    [[ -e "$extra" ]] && processors+=("$(basename "$extra" .pid)")
  done
  stop_all "${processors[@]}" processor registry
  stop_all infra
  rm -f "$STATE/infra.env" "$STATE/credentials.env" "$STATE/oidc.env" "$STATE/graph-simulator.env"
  [[ "${1:-}" == quiet ]] || log "down"
}

status() {
  local name rc=0
  local names=(infra registry processor gateway audit webhooks oidc console graph-sync saml-jit)
  [[ "$GRAPH_SIMULATOR" != true ]] || names+=(graphsim)
  for name in "${names[@]}"; do
    if alive "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; rc=3; fi
  done
  return $rc
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Creates ProvisioningHub's Kafka topics; safe to run again (docker-compose "kafka-topics" service,
# Kubernetes Job "kafka-topics"). Runs where Kafka's CLI is installed (the apache/kafka image).
#
# Environment:
#   KAFKA_BOOTSTRAP_SERVERS        broker list (required)
#   TOPIC_REPLICATION_FACTOR       default 1 (use 3 in production)
#   TOPIC_MIN_INSYNC_REPLICAS      default: unset (broker default); 2 with replication factor 3
#   COMMANDS_PARTITIONS            scim.commands.v1, default 8: caps processor consumers
#   OUTCOMES_PARTITIONS            scim.outcomes.v1, default 4: caps gateway instances (reply partitions)
#   DLQ_PARTITIONS                 scim.commands.dlq.v1, default 1
#   EVENTS_PARTITIONS              provisioning.events.v1, default 8
#   TENANTS_PARTITIONS             tenants.v1 (compacted), default 4
#   USAGE_PARTITIONS               tenants.usage.v1 (compacted), default 1
#   PURGES_PARTITIONS              tenants.purges.v1 (compacted), default 1
#   ALLOW_PARTITION_INCREASE       "true" grows existing topics to the counts above; otherwise a
#                                  topic with fewer partitions is only reported (growing
#                                  scim.commands.v1 moves keys to other partitions: see
#                                  docs/operations.md before doing it)
#   KAFKA_BIN                      directory of kafka-topics.sh, default /opt/kafka/bin
#   KAFKA_COMMAND_CONFIG           client properties of the broker's super user (secured broker:
#                                  security.protocol, sasl.*, ssl.*). When the file exists, the
#                                  ACL matrix below is created too (docs/security.md)
#   ACL_PRINCIPAL_PREFIX           prefix of the service principals, default "User:" (mTLS: the
#                                  certificates' distinguished names need a principal mapping rule
#                                  on the broker, ssl.principal.mapping.rules, to yield these names)
set -euo pipefail

bootstrap=${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS is required}
rf=${TOPIC_REPLICATION_FACTOR:-1}
bin="${KAFKA_BIN:-/opt/kafka/bin}"
topics_cli="$bin/kafka-topics.sh"
auth=()
if [[ -n ${KAFKA_COMMAND_CONFIG:-} && -f ${KAFKA_COMMAND_CONFIG} ]]; then
  auth=(--command-config "$KAFKA_COMMAND_CONFIG")
fi

kt() { "$topics_cli" --bootstrap-server "$bootstrap" "${auth[@]}" "$@"; }

# The broker may still be starting: wait for it, bounded.
deadline=$((SECONDS + ${WAIT_SECONDS:-180}))
until kt --list >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    echo "kafka-topics: no broker at $bootstrap" >&2
    exit 1
  fi
  sleep 2
done

ensure() { # name partitions [config ...]
  local name=$1 partitions=$2 current
  shift 2
  local configs=()
  if [[ -n ${TOPIC_MIN_INSYNC_REPLICAS:-} ]]; then
    configs+=(--config "min.insync.replicas=$TOPIC_MIN_INSYNC_REPLICAS")
  fi
  for c in "$@"; do configs+=(--config "$c"); done
  current=$(kt --describe --topic "$name" 2>/dev/null | grep -c 'Partition: ' || true)
  if ((current == 0)); then
    kt --create --if-not-exists --topic "$name" --partitions "$partitions" \
      --replication-factor "$rf" "${configs[@]}"
    echo "created $name ($partitions partitions, replication factor $rf)"
  elif ((current < partitions)); then
    if [[ ${ALLOW_PARTITION_INCREASE:-false} == true ]]; then
      kt --alter --topic "$name" --partitions "$partitions"
      echo "grew $name from $current to $partitions partitions"
    else
      echo "WARNING: $name has $current partitions, $partitions wanted; set ALLOW_PARTITION_INCREASE=true" >&2
    fi
  else
    echo "$name exists ($current partitions)"
  fi
}

ensure scim.commands.v1 "${COMMANDS_PARTITIONS:-8}"
ensure scim.outcomes.v1 "${OUTCOMES_PARTITIONS:-4}"
ensure scim.commands.dlq.v1 "${DLQ_PARTITIONS:-1}"
ensure provisioning.events.v1 "${EVENTS_PARTITIONS:-8}"
ensure tenants.v1 "${TENANTS_PARTITIONS:-4}" cleanup.policy=compact
ensure tenants.usage.v1 "${USAGE_PARTITIONS:-1}" cleanup.policy=compact
ensure tenants.purges.v1 "${PURGES_PARTITIONS:-1}" cleanup.policy=compact

# ---------------------------------------------------------------- ACLs (secured broker only)
# The matrix of docs/security.md ("Kafka: authentication and ACLs"), the same as testkit's
# KafkaAcls. No service uses transactions: no transactional id is granted. Adding an ACL twice is
# harmless; ACLs removed from this list must be removed by hand (kafka-acls.sh --remove).
if ((${#auth[@]} == 0)); then
  echo "no KAFKA_COMMAND_CONFIG: broker without authentication, no ACLs created"
  exit 0
fi
p=${ACL_PRINCIPAL_PREFIX:-User:}
ka() { "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" "${auth[@]}" --add --allow-principal "$@"; }
read_topic() { ka "$p$1" --operation Read --topic "$2" >/dev/null; }
write_topic() { ka "$p$1" --operation Write --topic "$2" >/dev/null; }
group() { ka "$p$1" --operation Read --group "$2" "${@:3}" >/dev/null; }
describe_group() { ka "$p$1" --operation Describe --group "$2" >/dev/null; }

read_topic scim-gateway tenants.v1
read_topic scim-gateway scim.outcomes.v1
write_topic scim-gateway scim.commands.v1
write_topic scim-gateway scim.outcomes.v1
write_topic scim-gateway tenants.usage.v1
group scim-gateway scim-gateway- --resource-pattern-type prefixed

read_topic provisioning-processor scim.commands.v1
write_topic provisioning-processor scim.outcomes.v1
write_topic provisioning-processor provisioning.events.v1
write_topic provisioning-processor scim.commands.dlq.v1
group provisioning-processor provisioning-processor

read_topic audit-log scim.commands.v1
read_topic audit-log scim.outcomes.v1
read_topic audit-log scim.commands.dlq.v1
group audit-log audit-log

read_topic provisioning-processor tenants.v1
write_topic provisioning-processor tenants.purges.v1
group provisioning-processor provisioning-processor-tenants

read_topic provisioning-processor provisioning.events.v1
group provisioning-processor provisioning-processor-event-feed
# The dead-letter backlog gauge reads the offsets the operator CLI commits as handled.
describe_group provisioning-processor phub-dead-letters

write_topic tenant-registry tenants.v1
read_topic tenant-registry tenants.usage.v1
read_topic tenant-registry tenants.purges.v1
group tenant-registry tenant-registry-usage
group tenant-registry tenant-registry-purges

read_topic webhooks provisioning.events.v1
group webhooks webhooks

read_topic graph-sync tenants.v1
group graph-sync graph-sync-tenants

read_topic saml-jit tenants.v1
group saml-jit saml-jit-tenants

read_topic dead-letters scim.commands.dlq.v1
write_topic dead-letters scim.commands.v1
group dead-letters phub-dead-letters
echo "ACLs of scim-gateway, provisioning-processor, audit-log, tenant-registry, webhooks, graph-sync, saml-jit and dead-letters in place"

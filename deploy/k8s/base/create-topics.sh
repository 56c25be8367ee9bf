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
set -euo pipefail

bootstrap=${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS is required}
rf=${TOPIC_REPLICATION_FACTOR:-1}
topics_cli="${KAFKA_BIN:-/opt/kafka/bin}/kafka-topics.sh"

kt() { "$topics_cli" --bootstrap-server "$bootstrap" "$@"; }

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

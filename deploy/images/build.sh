#!/usr/bin/env bash
# Builds the eight service images with Jib (Quarkus' container-image extension), without a Docker
# daemon, and pushes them to a registry; then checks each image's user, ports, entrypoint and
# health check, and writes them as docker-archive tarballs (for `docker load`).
#
#   deploy/images/build.sh                          a registry of its own on loopback (docker-registry)
#   deploy/images/build.sh --registry HOST[:PORT]   push there (credentials as Jib takes them)
#   options: --tag TAG (default local), --out DIR (default target/images), --no-tarballs
#
# In two steps, so that a build that packages the services anyway (CI's `mvn -B verify`) makes the
# images as it goes, instead of this script packaging them a second time:
#   eval "$(deploy/images/build.sh --serve DIR)"   a loopback registry left running (pid in
#       DIR/registry.pid) and the base image; prints PHUB_IMAGES_REGISTRY and PHUB_IMAGES_MAVEN_OPTS,
#       the -D settings to add to MAVEN_OPTS for the build that packages the services
#   deploy/images/build.sh --registry "$PHUB_IMAGES_REGISTRY" --prebuilt [--no-tarballs]
#       checks the images that build pushed (and writes the tarballs), without building them
#
# Needs: Java 17 JDK, Maven, util-linux, and Debian's umoci, skopeo, busybox-static, python3-yaml (docker-registry when no
# --registry is given); apt-get installs them when missing and the script runs as root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES=(scim-gateway provisioning-processor tenant-registry audit-log webhooks console graph-sync
  saml-jit)
declare -A PORTS=([scim-gateway]="8080 9080" [provisioning-processor]="8081 9081"
  [tenant-registry]="8082 9082" [audit-log]="8083 9083" [webhooks]="8084 9084" [console]="8085 9085"
  [graph-sync]="8087 9087" [saml-jit]="8088 9088")
REGISTRY="" TAG=local OUT="$ROOT/target/images" TARBALLS=true SERVE="" PREBUILT=false
while (($#)); do
  case "$1" in
    --registry) REGISTRY="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-tarballs) TARBALLS=false; shift ;;
    --serve) SERVE="$2"; shift 2 ;;
    --prebuilt) PREBUILT=true; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '[images] FAILED: %s\n' "$*" >&2; exit 1; }

missing=()
command -v umoci >/dev/null || missing+=(umoci)
command -v skopeo >/dev/null || missing+=(skopeo)
[[ -x /bin/busybox ]] || missing+=(busybox-static)
[[ -n "$REGISTRY" ]] || command -v docker-registry >/dev/null || missing+=(docker-registry)
/usr/bin/python3 -c "import yaml" 2>/dev/null || missing+=(python3-yaml)
if ((${#missing[@]})); then
  ((EUID == 0)) || die "install: ${missing[*]}"
  log "installing: ${missing[*]}"
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
$PREBUILT && [[ -z "$REGISTRY" ]] && die "--prebuilt needs --registry (the one the build pushed to)"
mkdir -p "$OUT"
if [[ -n "$SERVE" ]]; then
  # The registry outlives this script: its storage is under DIR, its pid in DIR/registry.pid.
  mkdir -p "$SERVE"
  WORK="$(cd "$SERVE" && pwd)"
else
  WORK="$(mktemp -d)"
  cleanup() {
    [[ -z "${REGISTRY_PID:-}" ]] || kill "$REGISTRY_PID" 2>/dev/null || true
    rm -rf "$WORK"
  }
  trap cleanup EXIT
fi

if [[ -z "$REGISTRY" ]]; then
  port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  REGISTRY="127.0.0.1:$port"
  cat >"$WORK/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: $REGISTRY
YML
  nohup docker-registry serve "$WORK/registry.yml" >"$OUT/registry.log" 2>&1 </dev/null &
  REGISTRY_PID=$!
  [[ -z "$SERVE" ]] || echo "$REGISTRY_PID" >"$WORK/registry.pid"
  for _ in $(seq 1 100); do curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "http://$REGISTRY/v2/" >/dev/null || die "the loopback registry did not start; see $OUT/registry.log"
  [[ -n "$SERVE" ]] || log "registry on $REGISTRY (this run only)"
fi

jib_options=(
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true
  "-Dquarkus.container-image.registry=$REGISTRY" "-Dquarkus.container-image.tag=$TAG"
  -Dquarkus.container-image.insecure=true
)
if ! $PREBUILT; then
  log "base image ..."
  bash "$ROOT/deploy/images/base-image.sh" "$OUT" >"$OUT/base.log" 2>&1 || die "base image; see $OUT/base.log"
  jib_options+=("-Dquarkus.jib.base-jvm-image=tar://$OUT/base.tar")
fi

if [[ -n "$SERVE" ]]; then
  printf 'PHUB_IMAGES_REGISTRY=%q\nPHUB_IMAGES_MAVEN_OPTS=%q\n' "$REGISTRY" "${jib_options[*]}"
  log "registry on $REGISTRY (pid $(cat "$WORK/registry.pid")); package the services with PHUB_IMAGES_MAVEN_OPTS in MAVEN_OPTS"
  exit 0
fi

if ! $PREBUILT; then
  log "building and pushing ${SERVICES[*]} with Jib ..."
  modules="$(IFS=,; echo "${SERVICES[*]}")"
  (cd "$ROOT" && mvn -B -q package -DskipTests -pl "$modules" -am "${jib_options[@]}") \
    >"$OUT/build.log" 2>&1 || die "mvn package with Jib; see $OUT/build.log"
fi

# Each image as it will run: user, ports, entrypoint, and the health check's tool inside it.
for s in "${SERVICES[@]}"; do
  ref="docker://$REGISTRY/provisioninghub/$s:$TAG"
  skopeo inspect --tls-verify=false --config "$ref" >"$OUT/$s.config.json" || die "$s: no image at $ref"
  /usr/bin/python3 - "$OUT/$s.config.json" "$s" ${PORTS[$s]} <<'PY' || die "$s: image configuration"
import json, sys
path, name, api, mgmt = sys.argv[1:5]
c = json.load(open(path))["config"]
problems = []
if c.get("User") != "185": problems.append(f"user {c.get('User')!r}, not 185")
ports = set(c.get("ExposedPorts") or {})
for p in (api, mgmt):
    if f"{p}/tcp" not in ports: problems.append(f"port {p} not exposed ({sorted(ports)})")
entry = c.get("Entrypoint") or []
if not entry or entry[0] != "java" or "-jar" not in entry: problems.append(f"entrypoint {entry}")
env = dict(e.split("=", 1) for e in c.get("Env", []))
if "/opt/java/bin" not in env.get("PATH", ""): problems.append("java not on the PATH")
if env.get("QUARKUS_MANAGEMENT_HOST") != "0.0.0.0": problems.append("management port bound to loopback")
if problems:
    print(f"{name}: " + "; ".join(problems), file=sys.stderr); sys.exit(1)
print(f"{name}: user 185, ports {api}/{mgmt}, entrypoint {' '.join(entry[:1] + entry[-2:])}")
PY
done

# Jib writes no HEALTHCHECK into an image: docker-compose.yml gives each service one, with the
# image's busybox against its management port (Kubernetes has its probes).
/usr/bin/python3 - "$ROOT/docker-compose.yml" <<'PY' || die "docker-compose.yml health checks"
import sys, yaml
ports = {"scim-gateway": 9080, "provisioning-processor": 9081, "tenant-registry": 9082,
         "audit-log": 9083, "webhooks": 9084, "console": 9085, "graph-sync": 9087,
         "saml-jit": 9088}
services = yaml.safe_load(open(sys.argv[1]))["services"]
bad = [n for n, p in ports.items()
       if f"http://127.0.0.1:{p}/q/health/ready" not in " ".join(services[n].get("healthcheck", {}).get("test", []))
       or not services[n]["image"].startswith(f"provisioninghub/{n}:")]
if bad:
    print("no image or busybox health check on the management port: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY

# One image run without a container runtime: its layers unpacked, and its java and busybox (the
# health check's tool) started in a chroot as the image's user.
s=tenant-registry
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY/provisioninghub/$s:$TAG" "oci:$WORK/oci:$s"
umoci unpack --image "$WORK/oci:$s" "$WORK/run" >/dev/null
rootfs="$WORK/run/rootfs"
[[ -f "$rootfs/home/jboss/quarkus-run.jar" ]] || die "$s: no /home/jboss/quarkus-run.jar in the image"
version="$(unshare --mount --fork sh -c "mount -t proc proc '$rootfs/proc' && \
  chroot --userspec=185:0 '$rootfs' /opt/java/bin/java -version 2>&1 && \
  chroot --userspec=185:0 '$rootfs' /bin/busybox wget --help 2>&1 | head -1")" \
  || die "$s: the image's java or busybox does not run: $version"
log "$s image runs: $(echo "$version" | head -1)"
log "images checked: ${SERVICES[*]} ($REGISTRY, tag $TAG)"

if $TARBALLS; then
  for s in "${SERVICES[@]}"; do
    rm -f "$OUT/$s.tar"
    skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY/provisioninghub/$s:$TAG" \
      "docker-archive:$OUT/$s.tar:provisioninghub/$s:$TAG"
  done
  log "tarballs in $OUT (docker load -i $OUT/<service>.tar)"
fi

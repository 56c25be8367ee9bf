#!/usr/bin/env bash
# Builds the services' base image without a Docker daemon or a registry: a Java runtime made with
# jlink from the build machine's JDK, the shared libraries it needs (from the same Debian system),
# busybox for health checks, CA certificates and the user 185; as an OCI image with umoci, then a
# docker-archive tarball with skopeo, which Jib takes as its base (tar://...).
#
#   deploy/images/base-image.sh OUT_DIR     writes OUT_DIR/base.tar
set -euo pipefail
OUT="$(mkdir -p "${1:?usage: base-image.sh OUT_DIR}" && cd "$1" && pwd)"
JDK="${BASE_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

root="$WORK/rootfs"
mkdir -p "$root"/{etc,tmp,bin,opt,dev,proc,home/jboss,deployments}
chmod 1777 "$root/tmp"

# The runtime: the modules a Quarkus service uses, without debug data, headers or man pages.
"$JDK/bin/jlink" --output "$root/opt/java" \
  --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.management,jdk.naming.dns,jdk.net,jdk.localedata \
  --strip-debug --no-header-files --no-man-pages --compress=2
# Debian's JDK links its trust store to /etc/ssl/certs/java/cacerts: take the file itself.
rm -f "$root/opt/java/lib/security/cacerts"
cp -L "$JDK/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"

# Every shared library the runtime's binaries need, with the dynamic loader, at their own paths.
libs="$(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | sort -u)"
for lib in $libs; do
  [[ "$lib" == "$root"/* ]] && continue # the runtime's own libraries, found through its rpath
  real="$(readlink -f "$lib")"
  mkdir -p "$root$(dirname "$lib")" "$root$(dirname "$real")"
  cp -n "$real" "$root$real"
  [[ "$real" == "$lib" ]] || ln -sf "$real" "$root$lib"
done
# The loader under its ABI path (/lib64/ld-linux-x86-64.so.2).
loader="$(readelf -l "$root/opt/java/bin/java" | sed -n 's/.*interpreter: \(.*\)]/\1/p')"
mkdir -p "$root$(dirname "$loader")"
cp -L "$loader" "$root$loader"

# Health checks and a shell for debugging: one static busybox.
cp /bin/busybox "$root/bin/busybox"
for applet in sh wget cat ls; do ln -s busybox "$root/bin/$applet"; done
mkdir -p "$root/etc/ssl/certs"
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/bin/sh\njboss:x:185:0:ProvisioningHub service:/home/jboss:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
chown -R 185:0 "$root/home/jboss" "$root/deployments"

umoci init --layout "$WORK/oci"
umoci new --image "$WORK/oci:base"
umoci unpack --image "$WORK/oci:base" "$WORK/bundle" >/dev/null
cp -a "$root/." "$WORK/bundle/rootfs/"
umoci repack --image "$WORK/oci:base" "$WORK/bundle"
umoci config --image "$WORK/oci:base" \
  --config.env "PATH=/opt/java/bin:/bin" --config.env "JAVA_HOME=/opt/java" --config.env "LANG=C.UTF-8" \
  --config.user 185 --config.workingdir /home/jboss \
  --config.label "org.opencontainers.image.description=ProvisioningHub base: jlink runtime of $("$JDK/bin/java" -version 2>&1 | head -1 | tr -d '"')"
rm -f "$OUT/base.tar"
skopeo copy --quiet "oci:$WORK/oci:base" "docker-archive:$OUT/base.tar:provisioninghub/base:local"
echo "base image: $OUT/base.tar ($(du -h "$OUT/base.tar" | cut -f1))"

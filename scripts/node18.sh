#!/usr/bin/env bash
# Unpack Debian 12's own Node.js (the `nodejs` package, 18.x) into DIR without installing it,
# so the tests can run under the node a stock Debian 12 has, whatever node the machine uses.
#
#   bash scripts/node18.sh DIR        # prints the path of DIR/node, a wrapper for that node
#
# The binary is `apt-get download`ed (nodejs, libnode108) and `dpkg -x`ed into DIR/root, never
# installed, so the machine's node (e.g. NodeSource's 20) stays as it is. Debian's node loads
# its fetch (undici), acorn and cjs-module-lexer from fixed paths under /usr/share/nodejs, so
# those small arch-independent packages, and libc-ares2, are installed with apt-get if missing
# (a stock Debian 12 with its nodejs has them anyway). Idempotent: re-unpacks only when the
# Debian version changes. Needs root or sudo only the first time.
set -euo pipefail
DIR=${1:?usage: node18.sh DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_updated=0
apt_update() {
  if [ $apt_updated -eq 0 ]; then
    $SUDO apt-get update -qq >&2
    apt_updated=1
  fi
}

# Debian's own nodejs version: the first from a debian.org archive (NodeSource or other
# repositories may offer a newer one as the candidate).
debian_version() {
  apt-cache madison nodejs 2>/dev/null | awk -F'|' '$3 ~ /debian\.org/ { gsub(/ /, "", $2); print $2; exit }'
}
VER=$(debian_version)
if [ -z "$VER" ]; then
  apt_update
  VER=$(debian_version)
fi
[ -n "$VER" ] || { echo "node18.sh: no Debian nodejs package in the apt sources" >&2; exit 1; }

# the shared builtins Debian's node reads from /usr/share/nodejs, and its libraries
BUILTINS=(node-undici node-acorn node-cjs-module-lexer libc-ares2)
missing=()
for p in "${BUILTINS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "node18.sh: installing ${missing[*]}" >&2
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(cat "$DIR/version" 2>/dev/null)" != "$VER" ] || [ ! -x "$DIR/root/usr/bin/node" ]; then
  echo "node18.sh: unpacking Debian's nodejs $VER into $DIR" >&2
  rm -rf "$DIR/debs" "$DIR/root"
  mkdir -p "$DIR/debs" "$DIR/root"
  # apt-get download writes into the current directory; _apt may not be able to, so it
  # falls back to root with a warning: drop that warning
  if ! (cd "$DIR/debs" && apt-get download -qq "nodejs=$VER" "libnode108=$VER" 2>&1 | grep -v 'unsandboxed' >&2; exit "${PIPESTATUS[0]}"); then
    apt_update
    (cd "$DIR/debs" && apt-get download -qq "nodejs=$VER" "libnode108=$VER" 2>&1 | grep -v 'unsandboxed' >&2; exit "${PIPESTATUS[0]}")
  fi
  for d in "$DIR"/debs/*.deb; do dpkg -x "$d" "$DIR/root"; done
  rm -rf "$DIR/debs"
  echo "$VER" >"$DIR/version"
fi

LIBDIR=$(dirname "$(find "$DIR/root" -name 'libnode.so.*' | head -n1)")
cat >"$DIR/node" <<EOF
#!/bin/sh
# Debian's nodejs $VER, unpacked by scripts/node18.sh
LD_LIBRARY_PATH="$LIBDIR\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$DIR/root/usr/bin/node" "\$@"
EOF
chmod +x "$DIR/node"
"$DIR/node" --version >/dev/null || { echo "node18.sh: the unpacked node does not start" >&2; exit 1; }
echo "$DIR/node"

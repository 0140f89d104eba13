#!/usr/bin/env bash
# playwright-core for the browser tests under an old node. playwright-core 1.62 and later need
# Node 20 (and refuse to start on Debian 12's nodejs 18); 1.61.1 is the last release for Node 18.
#
#   bash scripts/playwright-node18.sh NODE DIR
#
# Prints nothing when NODE is 20 or newer (the repository's node_modules serve). Otherwise
# installs playwright-core@1.61.1 into DIR once (npm, from the npm registry) and prints DIR,
# for ALO153_PLAYWRIGHT (tests/browser/harness.mjs loads it from there).
set -euo pipefail
node=${1:?usage: playwright-node18.sh NODE DIR}
dir=${2:?usage: playwright-node18.sh NODE DIR}
VERSION=1.61.1
major=$("$node" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] && exit 0
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
have=$("$node" -p "try { require('$dir/node_modules/playwright-core/package.json').version } catch { '' }")
if [ "$have" != "$VERSION" ]; then
  echo "playwright-node18.sh: node $major: installing playwright-core@$VERSION into $dir" >&2
  [ -f "$dir/package.json" ] || echo '{ "private": true }' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "playwright-core@$VERSION" >&2)
fi
echo "$dir"

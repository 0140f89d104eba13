#!/usr/bin/env bash
# make run: create the demo database on first use, then serve it.
set -euo pipefail
bin=$1 db=$2 listen=$3
if [ ! -f "$db" ]; then
  echo "run: creating the demo database $db (Kayseri, a few thousand applications)…"
  "$bin" init --db "$db" --province 38 --demo
else
  "$bin" init --db "$db" >/dev/null   # upgrade the schema if this build is newer
  echo "run: using the existing $db (delete it for a fresh demo)"
  echo "logins (password alo153demo): admin supervisor agent desk fen fen.mudur zabita cevre"
fi
if [ ! -f models/current ]; then
  echo "run: training the routing model (data/corpus + closed applications)…"
  "$bin" train --db "$db" --models models
fi
echo "run: open http://$listen/  (Ctrl-C stops)"
exec "$bin" serve --db "$db" --listen "$listen" --models models

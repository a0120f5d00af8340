#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 for the store tests; prints the DATABASE_URL to use.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >/dev/null
fi
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
dir=$(mktemp -d /tmp/caregap-pg.XXXXXX)
chown postgres "$dir"
su postgres -c "$bin/initdb -D $dir/data -U caregap --auth=trust -E UTF8 >/dev/null"
su postgres -c "$bin/pg_ctl -D $dir/data -o '-h 127.0.0.1 -p $port -k $dir' -l $dir/log -w start >/dev/null"
su postgres -c "$bin/createdb -h 127.0.0.1 -p $port -U caregap caregap"
echo "postgresql://caregap@127.0.0.1:$port/caregap"

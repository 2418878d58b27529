# A throw-away PostgreSQL cluster for tests and benchmarks (sourced by .ci/run and bench/).
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
  echo "$dir"
}

pg_start() {  # DIR PORT
  local dir=$1 port=$2 bin
  bin=$(pg_bin)
  chown postgres "$dir"
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres comity
}

pg_stop() {  # DIR
  local bin
  bin=$(pg_bin) || return 0
  runuser -u postgres -- "$bin/pg_ctl" -D "$1/data" -m fast stop >/dev/null 2>&1 || true
}

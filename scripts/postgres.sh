#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests. Sourced by scripts/test.sh:
#   pg_throwaway_start   initdb into a temp folder, start on a free 127.0.0.1 port (and a unix socket in that folder)
#                        as an unprivileged user, export PADKERNEL_POSTGRES (an Npgsql connection string)
#   pg_throwaway_stop    stop it and delete the folder (test.sh calls it from an EXIT trap, so it runs on failure too)
# Needs Debian's postgresql package (scripts/setup.sh installs it); uses /usr/lib/postgresql/<newest>/bin.

pg_throwaway_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$bin" ] && [ -x "$bin/initdb" ]; then echo "$bin"; return 0; fi
  command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

pg_throwaway_start() {
  local bin port password
  bin=$(pg_throwaway_bin) || { echo "postgres: initdb not found (install Debian's postgresql)" >&2; return 1; }
  PG_THROWAWAY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/padkernel-pg.XXXXXX")
  PG_THROWAWAY_USER=$(id -un)
  # PostgreSQL refuses to run as root: then the cluster belongs to the unprivileged 'postgres' system user.
  if [ "$(id -u)" -eq 0 ]; then
    PG_THROWAWAY_USER=postgres
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$PG_THROWAWAY_DIR"
  fi
  chmod 700 "$PG_THROWAWAY_DIR"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 30000)))
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" >"$PG_THROWAWAY_DIR/pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_THROWAWAY_DIR/pwfile"
  pg_throwaway_as "$bin/initdb" -D "$PG_THROWAWAY_DIR/data" -U padkernel --pwfile="$PG_THROWAWAY_DIR/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --no-sync >"$PG_THROWAWAY_DIR/initdb.log" 2>&1 \
    || { cat "$PG_THROWAWAY_DIR/initdb.log" >&2; return 1; }
  rm -f "$PG_THROWAWAY_DIR/pwfile"
  # fsync off: the cluster lives for one test run. Enough connections for several server replicas and test pools.
  pg_throwaway_as "$bin/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/server.log" -w -t 60 start \
    -o "-p $port -k $PG_THROWAWAY_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" >/dev/null \
    || { cat "$PG_THROWAWAY_DIR/server.log" >&2; return 1; }
  PG_THROWAWAY_BIN=$bin
  export PADKERNEL_POSTGRES="Host=127.0.0.1;Port=$port;Username=padkernel;Password=$password;Database=postgres"
  echo "postgres: throwaway cluster on 127.0.0.1:$port ($PG_THROWAWAY_DIR, user $PG_THROWAWAY_USER)"
}

pg_throwaway_stop() {
  [ -n "${PG_THROWAWAY_DIR:-}" ] || return 0
  if [ -n "${PG_THROWAWAY_BIN:-}" ] && [ -f "$PG_THROWAWAY_DIR/data/postmaster.pid" ]; then
    pg_throwaway_as "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$PG_THROWAWAY_DIR"
  PG_THROWAWAY_DIR=
}

pg_throwaway_as() {
  if [ "$PG_THROWAWAY_USER" = "$(id -un)" ]; then "$@"; else runuser -u "$PG_THROWAWAY_USER" -- "$@"; fi
}

#!/usr/bin/env bash
# Make sure PostgreSQL runs on 127.0.0.1:5432 with a role and database `xingyao` (CREATEDB: pytest makes its own).
# Idempotent; for CI and development machines where we are root.
set -euo pipefail

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  PGVER=$(ls /etc/postgresql | sort -n | tail -1)
  pg_lsclusters -h | awk '{print $1,$2}' | grep -qx "$PGVER main" || pg_createcluster "$PGVER" main
  pg_ctlcluster "$PGVER" main status >/dev/null 2>&1 || pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p 5432

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
psql_admin "DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='xingyao') THEN CREATE ROLE xingyao LOGIN PASSWORD 'xingyao' CREATEDB; END IF; END\\\$\\\$;"
psql_admin "SELECT 1 FROM pg_database WHERE datname='xingyao'" | grep -q 1 || su postgres -c "createdb -O xingyao -E UTF8 -T template0 xingyao"

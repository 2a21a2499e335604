#!/bin/bash
# One database per service (DESIGN §1), each owned by its own login role, so no service can read
# another's tables. Idempotent. Runs as the postgres image's /docker-entrypoint-initdb.d hook
# (POSTGRES_USER, MYPAGE_DB_PASSWORD from the container's environment) or by hand against a
# local server: PGUSER=postgres PGHOST=127.0.0.1 deploy/postgres/init-databases.sh
set -euo pipefail

services=(auth profile jobs messaging retention)
admin=${POSTGRES_USER:-${PGUSER:-postgres}}

for service in "${services[@]}"; do
    name="mypage_${service}"
    # MYPAGE_DB_PASSWORD_<SERVICE> wins over the shared MYPAGE_DB_PASSWORD; empty = no password
    # (trust or peer authentication on a development machine).
    per_service="MYPAGE_DB_PASSWORD_${service^^}"
    password=${!per_service:-${MYPAGE_DB_PASSWORD:-}}
    psql -v ON_ERROR_STOP=1 --username "$admin" --dbname postgres \
         -v name="$name" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'name', :'password') WHERE :'password' <> '' \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'name', :'name') \gexec
SQL
done

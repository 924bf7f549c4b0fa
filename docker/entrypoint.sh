#!/bin/sh
# Container start: migrate, optionally load the demo, then hand the process over to gunicorn.
# Extra arguments ("$@") are passed on to gunicorn, e.g. `docker run IMAGE --log-level debug`.
set -eu

# To the newest revision, or to CLAIMTRACK_MIGRATE_TO when it names an earlier one.
claimtrack db upgrade "${CLAIMTRACK_MIGRATE_TO:-head}"

if [ "${CLAIMTRACK_LOAD_DEMO:-false}" = "true" ]; then
    claimtrack demo load --if-empty
fi

# exec: gunicorn becomes this process, so it receives the container's SIGTERM directly.
exec gunicorn --config python:service.gunicorn_conf "$@" "service.app:create_app()"

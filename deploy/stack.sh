#!/usr/bin/env bash
# The production-shaped stack on this machine, without Docker (README: "make stack"):
#   nginx on 127.0.0.1:8080 -> two gunicorn instances (8101, 8102) -> PostgreSQL (DATABASE_URL).
#
#   deploy/stack.sh start    migrate, load the demo into an empty database, start everything,
#                            print an admin key, return once :8080 answers /health
#   deploy/stack.sh stop     stop what `start` started (pid files in the run directory)
#   deploy/stack.sh reload   render nginx's configuration again (new limits, or
#                            STACK_UPSTREAM_PORTS="8101" to send everything to one instance)
#   deploy/stack.sh check    render it into the run directory and have nginx check it
#
# Settings (environment): DATABASE_URL (default: the local cluster, database claimtrack),
# STACK_RUN_DIR (default instance/stack), STACK_PORT (8080), STACK_APP_PORTS ("8101 8102"), the
# proxy's CLAIMTRACK_PROXY_* limits (defaults below) and the app's own CLAIMTRACK_* settings,
# which both instances inherit.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${STACK_BIN:-$ROOT/.venv/bin}"
RUN_DIR="${STACK_RUN_DIR:-$ROOT/instance/stack}"
PORT="${STACK_PORT:-8080}"
APP_PORTS="${STACK_APP_PORTS:-8101 8102}"
UPSTREAM_PORTS="${STACK_UPSTREAM_PORTS:-$APP_PORTS}"
export DATABASE_URL="${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/claimtrack}"
STOP_SECONDS=25

# The proxy's knobs and their defaults (compose.yaml repeats them; a test keeps the two equal).
: "${CLAIMTRACK_PROXY_KEY_RATE:=20r/s}"
: "${CLAIMTRACK_PROXY_KEY_BURST:=40}"
: "${CLAIMTRACK_PROXY_ADDRESS_RATE:=10r/s}"
: "${CLAIMTRACK_PROXY_ADDRESS_BURST:=20}"
: "${CLAIMTRACK_PROXY_CONNECTIONS:=32}"
: "${CLAIMTRACK_PROXY_HEADER_TIMEOUT:=10s}"
: "${CLAIMTRACK_PROXY_BODY_TIMEOUT:=30s}"
: "${CLAIMTRACK_PROXY_UPSTREAM_TIMEOUT:=300s}"
: "${CLAIMTRACK_PROXY_MAX_BODY:=256m}"
: "${CLAIMTRACK_PROXY_RETRY_AFTER:=1}"

say() { echo "stack: $*"; }
fail() { echo "stack: $*" >&2; exit 1; }

check_knob() {  # name, pattern, what it must look like
    [[ "${!1}" =~ ^($2)$ ]] || fail "$1=${!1}: must be $3"
}

check_knobs() {
    check_knob CLAIMTRACK_PROXY_KEY_RATE '[1-9][0-9]*r/[sm]' "a rate such as 20r/s or 600r/m"
    check_knob CLAIMTRACK_PROXY_ADDRESS_RATE '[1-9][0-9]*r/[sm]' "a rate such as 10r/s or 600r/m"
    check_knob CLAIMTRACK_PROXY_KEY_BURST '0|[1-9][0-9]{0,5}' "a number of requests (0-999999)"
    check_knob CLAIMTRACK_PROXY_ADDRESS_BURST '0|[1-9][0-9]{0,5}' "a number of requests (0-999999)"
    check_knob CLAIMTRACK_PROXY_CONNECTIONS '[1-9][0-9]{0,4}' "a number of requests (1-65535)"
    [ "$CLAIMTRACK_PROXY_CONNECTIONS" -le 65535 ] \
        || fail "CLAIMTRACK_PROXY_CONNECTIONS=$CLAIMTRACK_PROXY_CONNECTIONS: must be a number of requests (1-65535)"
    check_knob CLAIMTRACK_PROXY_HEADER_TIMEOUT '[1-9][0-9]*(ms|s|m)?' "a duration such as 10s"
    check_knob CLAIMTRACK_PROXY_BODY_TIMEOUT '[1-9][0-9]*(ms|s|m)?' "a duration such as 30s"
    check_knob CLAIMTRACK_PROXY_UPSTREAM_TIMEOUT '[1-9][0-9]*(ms|s|m)?' "a duration such as 300s"
    check_knob CLAIMTRACK_PROXY_MAX_BODY '[1-9][0-9]*[kKmMgG]?' "a size such as 256m"
    check_knob CLAIMTRACK_PROXY_RETRY_AFTER '[1-9][0-9]{0,4}' "a number of seconds"
    check_knob PORT '[1-9][0-9]{0,4}' "a port"
    for port in $APP_PORTS; do check_knob port '[1-9][0-9]{0,4}' "a port"; done
}

render_nginx() {
    local servers="" port
    for port in $UPSTREAM_PORTS; do
        [[ " $APP_PORTS " == *" $port "* ]] || fail "STACK_UPSTREAM_PORTS: $port is not one of $APP_PORTS"
        servers+="server 127.0.0.1:$port max_fails=1 fail_timeout=2s; "
    done
    local rendered
    rendered="$(<"$ROOT/deploy/nginx/claimtrack.conf.template")"
    rendered="${rendered//\$\{STACK_UPSTREAM_SERVERS\}/$servers}"
    rendered="${rendered//\$\{STACK_LISTEN\}/127.0.0.1:$PORT}"
    local name
    for name in $(grep -o '\${CLAIMTRACK_PROXY_[A-Z_]*}' "$ROOT/deploy/nginx/claimtrack.conf.template" | sort -u); do
        name="${name:2:-1}"
        rendered="${rendered//\$\{$name\}/${!name}}"
    done
    printf '%s\n' "$rendered" >"$RUN_DIR/claimtrack.conf"
    # What the nginx image's nginx.conf gives compose.yaml, with every path in the run directory
    # (so that nginx needs no root, and leaves nothing in /var).
    local user_line="" buffers="$RUN_DIR/tmp"
    if [ "$(id -u)" = 0 ]; then
        # As root, nginx's workers run as www-data, which must reach the request-body buffers:
        # a run directory it cannot enter (a 0700 parent) gets a buffer directory in /tmp.
        user_line="user www-data;"
        if ! runuser -u www-data -- test -x "$RUN_DIR"; then
            [ -s "$RUN_DIR/buffers-dir" ] && [ -d "$(cat "$RUN_DIR/buffers-dir")" ] \
                || mktemp -d /tmp/claimtrack-stack.XXXXXX >"$RUN_DIR/buffers-dir"
            buffers="$(cat "$RUN_DIR/buffers-dir")"
            chmod 755 "$buffers"
        fi
    fi
    cat >"$RUN_DIR/nginx.conf" <<CONF
$user_line
worker_processes auto;
worker_rlimit_nofile 8192;
pid $RUN_DIR/nginx.pid;
error_log $RUN_DIR/nginx-error.log warn;
events { worker_connections 4096; }
http {
    default_type application/octet-stream;
    log_format upstream '\$remote_addr [\$time_iso8601] "\$request" \$status \$body_bytes_sent '
                        '\$request_time upstream=\$upstream_addr';
    access_log $RUN_DIR/nginx-access.log upstream;
    client_body_temp_path $buffers/body;
    proxy_temp_path $buffers/proxy;
    fastcgi_temp_path $buffers/fastcgi;
    uwsgi_temp_path $buffers/uwsgi;
    scgi_temp_path $buffers/scgi;
    include $RUN_DIR/claimtrack.conf;
}
CONF
    nginx -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" \
        || { alive "$RUN_DIR/nginx.pid" || remove_buffers
             fail "nginx refused the configuration in $RUN_DIR (see above)"; }
}

alive() {  # pid file
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

answers_health() {  # port
    "$BIN/python" - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

wait_for_health() {  # port, pid file, log, seconds
    local deadline=$((SECONDS + $4))
    until answers_health "$1"; do
        # (nginx writes its pid file a moment after the command returns)
        [ ! -e "$2" ] || alive "$2" || { tail -n 20 "$3" >&2 || true; fail "the server for :$1 exited (log: $3)"; }
        [ "$SECONDS" -lt "$deadline" ] || fail ":$1 did not answer /health within $4 s (log: $3)"
        sleep 0.3
    done
}

install_nginx() {
    command -v nginx >/dev/null && return
    [ "$(id -u)" = 0 ] || fail "nginx is not installed: apt-get install -y nginx (as root)"
    say "installing Debian's nginx"
    # policy-rc.d keeps the package from starting its own server on port 80.
    local policy=/usr/sbin/policy-rc.d created=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1
    fi
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } \
        || { [ -z "$created" ] || rm -f "$policy"; fail "apt-get install nginx failed"; }
    [ -z "$created" ] || rm -f "$policy"
}

ensure_postgres() {
    if [[ "$DATABASE_URL" == *"@127.0.0.1:5432/"* ]] && command -v pg_isready >/dev/null \
        && ! pg_isready -q -h 127.0.0.1 -p 5432; then
        say "starting the local PostgreSQL cluster"
        pg_ctlcluster --skip-systemctl-redirect 15 main start 2>/dev/null || pg_ctlcluster 15 main start
        for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
    "$BIN/python" "$ROOT/deploy/database.py" ensure "$DATABASE_URL"
}

start() {
    check_knobs
    local port
    for port in $APP_PORTS; do
        ! alive "$RUN_DIR/app-$port.pid" || fail "already running (make stack-stop first)"
    done
    ! alive "$RUN_DIR/nginx.pid" || fail "already running (make stack-stop first)"
    for port in $PORT $APP_PORTS; do
        ! port_in_use "$port" || fail "port $port is taken by another program"
    done
    install_nginx
    mkdir -p "$RUN_DIR/tmp"
    render_nginx
    ensure_postgres

    # Any failure from here on (set -e, or fail) stops what was started.
    trap 'echo "stack: start failed; stopping what started" >&2; stop >/dev/null' EXIT
    cd "$ROOT"
    "$BIN/claimtrack" db upgrade
    "$BIN/claimtrack" demo load --if-empty
    # Both instances: one hop of X-Forwarded-* trusted (nginx's), the environment's settings.
    for port in $APP_PORTS; do
        CLAIMTRACK_PROXY_HOPS=1 setsid "$BIN/claimtrack" serve --host 127.0.0.1 --port "$port" \
            >"$RUN_DIR/app-$port.log" 2>&1 </dev/null &
        echo $! >"$RUN_DIR/app-$port.pid"  # `serve` execs gunicorn: this is its master
    done
    for port in $APP_PORTS; do
        wait_for_health "$port" "$RUN_DIR/app-$port.pid" "$RUN_DIR/app-$port.log" 60
    done
    nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
    wait_for_health "$PORT" "$RUN_DIR/nginx.pid" "$RUN_DIR/nginx-error.log" 20

    say "nginx on http://127.0.0.1:$PORT -> gunicorn on $(echo "$APP_PORTS" | sed 's/ /, /g') -> ${DATABASE_URL%%://*}://…/${DATABASE_URL##*/}"
    local key
    key="$("$BIN/claimtrack" keys create --name stack-admin --role admin | tail -n 1)"
    say "admin key $key (shown once; \`claimtrack keys revoke\` retires old ones)"
    say "logs and pid files in $RUN_DIR; stop with: make stack-stop"
    trap - EXIT
}

remove_buffers() {
    if [ -s "$RUN_DIR/buffers-dir" ]; then
        rm -rf "$(cat "$RUN_DIR/buffers-dir")" "$RUN_DIR/buffers-dir"
    fi
}

wait_gone() {  # pid, what
    for _ in $(seq $((STOP_SECONDS * 10))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    echo "stack: $2 (pid $1) ignored SIGTERM for ${STOP_SECONDS}s; killing it" >&2
    kill -KILL "$1" 2>/dev/null || true
}

stop() {
    # nginx first (no new requests), then both app servers at once; each gets SIGTERM and
    # STOP_SECONDS to finish what it is doing, then SIGKILL.
    local file pid names=() pids=() files=()
    for file in "$RUN_DIR/nginx.pid" "$RUN_DIR"/app-*.pid; do
        [ -e "$file" ] || continue
        files+=("$file")
        pid="$(cat "$file")"
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        pids+=("$pid")
        names+=("$(basename "$file" .pid | sed 's/^app-/gunicorn :/')")
        if [ "$file" = "$RUN_DIR/nginx.pid" ]; then wait_gone "$pid" nginx; fi
    done
    local i
    for i in "${!pids[@]}"; do
        wait_gone "${pids[$i]}" "${names[$i]}"
        say "stopped ${names[$i]} (pid ${pids[$i]})"
    done
    [ ${#files[@]} -eq 0 ] || rm -f "${files[@]}"
    remove_buffers
}

reload() {
    check_knobs
    alive "$RUN_DIR/nginx.pid" || fail "nginx is not running (make stack first)"
    render_nginx
    nginx -s reload -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
    say "nginx reloaded: upstream $(echo "$UPSTREAM_PORTS" | sed 's/ /, /g')"
}

case "${1:-}" in
    check)
        check_knobs
        mkdir -p "$RUN_DIR/tmp"
        render_nginx
        say "nginx accepts $RUN_DIR/nginx.conf (\`deploy/stack.sh stop\` removes its buffer directory)"
        ;;
    start) start ;;
    stop) stop ;;
    reload) reload ;;
    *) fail "usage: deploy/stack.sh start|stop|reload|check" ;;
esac

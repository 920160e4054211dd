#!/usr/bin/env bash
# A classroom in one command: app replicas on 127.0.0.1 behind nginx (docs/nginx-classroom.conf), each health
# checked, and restarted if it stops. Runs until Ctrl-C (or SIGTERM), which stops them all.
#
#   deploy/classroom.sh                      students open http://<this machine's address>:8080/
#   REPLICAS=4 LISTEN=9000 deploy/classroom.sh
#
# Settings (environment variables):
#   REPLICAS     app servers, one per core by default: one Python process keeps about one core busy
#   LISTEN       nginx's listen address, as nginx writes it: 8080 (every interface) or 127.0.0.1:8680
#   FIRST_PORT   the first replica's port on 127.0.0.1 (8501), the next ones follow
#   SERVER_NAME  a host name the students type instead of an IP address (the live view's socket accepts a page
#                reached by an IP address, or by a name the server is told of)
#   RUN_DIR      where the logs, the nginx configuration and its cache go (a new temporary folder)
#   PYTHON       the Python with the requirements installed (python3)
# Needs nginx (Debian: apt-get install nginx-light) and the app's requirements (pip install -r requirements.txt).
# docs/classroom.md says what this holds, and how many students a replica keeps at full speed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPLICAS=${REPLICAS:-$(nproc)}
LISTEN=${LISTEN:-8080}
FIRST_PORT=${FIRST_PORT:-8501}
SERVER_NAME=${SERVER_NAME:-}
RUN_DIR=${RUN_DIR:-$(mktemp -d -t spiral-classroom.XXXXXX)}
PYTHON=${PYTHON:-python3}
CHECK_SECONDS=10  # how often each replica's health is checked
FAILED_CHECKS=3  # a replica that fails this many checks in a row is restarted
STARTUP_SECONDS=90  # for a replica, or nginx, to answer its first health check

command -v nginx > /dev/null || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
mkdir -p "$RUN_DIR"
# every connection is a file: the usual soft limit of 1,024 would cap a replica (and nginx) at about that many
ulimit -n "$(ulimit -Hn)"

pids=()  # the replicas' processes, by index
failures=()  # their failed health checks in a row
nginx_pid=

port_of() { echo $((FIRST_PORT + $1)); }

healthy() {  # the URL answers its health check
    "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=3)' \
        "$1" 2> /dev/null
}

wait_healthy() {  # name, URL, process: until the URL answers, or the process ends, or STARTUP_SECONDS pass
    local deadline=$((SECONDS + STARTUP_SECONDS))
    until healthy "$2"; do
        if ! kill -0 "$3" 2> /dev/null || ((SECONDS > deadline)); then
            echo "$1 did not start: see $RUN_DIR" >&2
            return 1
        fi
        sleep 0.5
    done
}

start_replica() {
    local port
    port=$(port_of "$1")
    # from the checkout, whose .streamlit/config.toml the replica reads; its address 127.0.0.1: only nginx reaches it
    (cd "$ROOT" && exec "$PYTHON" -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 \
        --server.headless true ${SERVER_NAME:+--browser.serverAddress "$SERVER_NAME"}) \
        >> "$RUN_DIR/replica-$port.log" 2>&1 &
    pids[$1]=$!
    failures[$1]=0
    echo "$(date +%T) replica $port started (process ${pids[$1]}, log $RUN_DIR/replica-$port.log)"
}

stop_all() {
    trap - INT TERM EXIT
    [[ -n $nginx_pid ]] && kill "$nginx_pid" 2> /dev/null
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    wait 2> /dev/null || true
    echo "stopped; logs in $RUN_DIR"
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

nginx_configuration() {  # docs/nginx-classroom.conf with this run's replicas and listen address
    local servers="" index
    for ((index = 0; index < REPLICAS; index++)); do
        servers+="        server 127.0.0.1:$(port_of "$index");"$'\n'
    done
    awk -v servers="$servers" -v listen="$LISTEN" '
        /^ *server 127\.0\.0\.1:[0-9]+;/ { if (!written) printf "%s", servers; written = 1; next }
        /^ *listen [^;]*;/ { sub(/listen [^;]*;/, "listen " listen ";") }
        { print }
    ' "$ROOT/docs/nginx-classroom.conf"
}

for ((index = 0; index < REPLICAS; index++)); do start_replica "$index"; done
for ((index = 0; index < REPLICAS; index++)); do
    wait_healthy "replica $(port_of "$index")" "http://127.0.0.1:$(port_of "$index")" "${pids[$index]}"
done

nginx_configuration > "$RUN_DIR/nginx.conf"
nginx -p "$RUN_DIR" -e "$RUN_DIR/error.log" -c "$RUN_DIR/nginx.conf" -g "daemon off;" &
nginx_pid=$!
proxy="http://127.0.0.1:${LISTEN##*:}"
[[ $LISTEN == *:* ]] && proxy="http://$LISTEN"
wait_healthy nginx "$proxy" "$nginx_pid"
echo "ready: $REPLICAS replica(s) on 127.0.0.1:$FIRST_PORT-$(port_of $((REPLICAS - 1))), nginx on $LISTEN" \
    "(students open http://<this machine's address>:${LISTEN##*:}/); logs in $RUN_DIR"

while true; do
    sleep "$CHECK_SECONDS" &
    wait $!  # a signal ends the wait at once (a sleep in the foreground would hold it back)
    kill -0 "$nginx_pid" 2> /dev/null || { echo "nginx stopped: see $RUN_DIR/error.log" >&2; exit 1; }
    for ((index = 0; index < REPLICAS; index++)); do
        port=$(port_of "$index")
        if ! kill -0 "${pids[$index]}" 2> /dev/null; then
            echo "$(date +%T) replica $port stopped: restarting it (its students' pages start afresh from their links)"
            start_replica "$index"
        elif healthy "http://127.0.0.1:$port"; then
            failures[$index]=0
        elif ((++failures[index] >= FAILED_CHECKS)); then
            echo "$(date +%T) replica $port failed $FAILED_CHECKS health checks: restarting it"
            kill "${pids[$index]}" 2> /dev/null || true
            wait "${pids[$index]}" 2> /dev/null || true
            start_replica "$index"
        fi
    done
done

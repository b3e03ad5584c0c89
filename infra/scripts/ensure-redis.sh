#!/usr/bin/env bash
# Makes sure a Redis server answers for the tests, the CLI and local workers.
#
#   infra/scripts/ensure-redis.sh            # REDIS_URL, else 127.0.0.1:6379
#   REDIS_PORT=6390 infra/scripts/ensure-redis.sh
#
# 1. If a Redis answers PING at REDIS_URL (default redis://127.0.0.1:6379), do nothing.
# 2. Else, if redis-server is missing, install Debian's package (root or password-less sudo only).
# 3. Start it daemonized on 127.0.0.1:<port>, nothing kept on disk, and wait until it answers.
# Running it again while that server is up is a no-op, so CI and developers can call it freely.
#
# Environment:
#   REDIS_URL          where the project looks for Redis (only its host and port are used here)
#   REDIS_PORT         port to probe/start on; overrides the port in REDIS_URL (default 6379)
#   REDIS_DIR          working dir + log of a server started here (default ${TMPDIR:-/tmp}/bidfcl-redis-<port>)
#   REDIS_WAIT_SECONDS how long to wait for a started server to answer (default 15)
set -euo pipefail

log() { printf 'ensure-redis: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

url="${REDIS_URL:-redis://127.0.0.1:6379}"
# redis[s]://[user[:password]@]host[:port][/db] -> host, port. IPv6 hosts come as [::1].
rest="${url#*://}"
rest="${rest%%/*}"
rest="${rest##*@}"
if [[ "$rest" == \[* ]]; then
  host="${rest%%]*}"; host="${host#[}"
  after="${rest#*]}"; url_port="${after#:}"
else
  host="${rest%%:*}"
  url_port=""; [[ "$rest" == *:* ]] && url_port="${rest##*:}"
fi
host="${host:-127.0.0.1}"
port="${REDIS_PORT:-${url_port:-6379}}"
[[ "$port" =~ ^[0-9]+$ ]] || die "port '$port' (from REDIS_PORT or REDIS_URL) is not a number"

# PING over bash's /dev/tcp: works before redis-cli exists. A Redis that demands a password
# answers -NOAUTH, which still means a server is there (the password is the caller's business).
redis_answers() {
  # `timeout` bounds the connect too: /dev/tcp has no timeout of its own for a silent host.
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r -t 2 reply <&3 || exit 1
    [[ "$reply" == "+PONG"* || "$reply" == "-NOAUTH"* ]]
  ' redis-probe "$1" "$2" 2>/dev/null
}

if redis_answers "$host" "$port"; then
  log "Redis answers at $host:$port; nothing to do."
  exit 0
fi

case "$host" in
  127.*|localhost|::1) ;;
  *) die "no Redis answers at $host:$port (from REDIS_URL), and this script only starts a local one.
  Start that server, or unset REDIS_URL to use a local Redis on 127.0.0.1." ;;
esac

if ! command -v redis-server >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    die "redis-server is not installed and this user cannot install it (not root, no password-less sudo).
  Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis),
  or run one in a container: docker run -d -p 127.0.0.1:6379:6379 redis:7,
  or point REDIS_URL at a Redis you have."
  fi
  log "redis-server not found; installing Debian's redis-server ..."
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq >/dev/null
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  command -v redis-server >/dev/null 2>&1 || die "apt-get finished but redis-server is still not on PATH"
  # The package's own service may have come up on the default port during installation.
  if redis_answers "$host" "$port"; then
    log "Redis answers at $host:$port after installation."
    exit 0
  fi
fi

dir="${REDIS_DIR:-${TMPDIR:-/tmp}/bidfcl-redis-$port}"
mkdir -p "$dir"
logfile="$dir/redis.log"
log "starting redis-server on 127.0.0.1:$port (dir $dir) ..."
# "-::1": also listen on IPv6 loopback where it exists (the leading "-" makes it optional).
# Nothing on disk: tests and dev runs create their own queues; a restart starting empty is fine.
# noeviction: BullMQ must never lose keys to memory pressure.
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" \
  --save "" --appendonly no --maxmemory-policy noeviction \
  --dir "$dir" --logfile "$logfile" --pidfile "$dir/redis.pid" \
  || die "redis-server refused to start; see $logfile"

# Poll briefly instead of one long sleep: a fresh server answers within milliseconds.
wait_s="${REDIS_WAIT_SECONDS:-15}"
for ((i = 0; i < wait_s * 10; i++)); do
  if redis_answers 127.0.0.1 "$port"; then
    log "Redis answers at 127.0.0.1:$port."
    exit 0
  fi
  sleep 0.1
done
log "last lines of $logfile:"
tail -n 20 "$logfile" >&2 2>/dev/null || true
die "redis-server on 127.0.0.1:$port did not answer PING within ${wait_s}s"

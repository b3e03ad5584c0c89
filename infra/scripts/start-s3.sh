#!/usr/bin/env bash
# Starts a local S3 (s3rver over .bidfcl/s3) for development when MinIO is not available, creates the
# project's bucket, and prints the variables to export on stdout (messages go to stderr):
#
#   eval "$(infra/scripts/start-s3.sh)"     # start in the background (or reuse), export the env
#   infra/scripts/start-s3.sh --foreground  # run in this terminal until Ctrl-C
#   infra/scripts/start-s3.sh --stop        # stop the one this script started
#
# Idempotent: when an S3 already answers on the port, it makes sure the bucket exists and only prints.
# Tests do not need this script: they start their own s3rver in-process on a free port.
#
# Environment: S3_PORT (4568), S3_ADDRESS (127.0.0.1), S3_BUCKET (bidfcl),
#              S3_DIR (<repo>/.bidfcl/s3), S3_WAIT_SECONDS (15)
set -euo pipefail

log() { printf 'start-s3: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${S3_PORT:-4568}"
address="${S3_ADDRESS:-127.0.0.1}"
bucket="${S3_BUCKET:-bidfcl}"
dir="${S3_DIR:-$root/.bidfcl/s3}"
state="$root/.bidfcl"          # pid and log live beside the data dir: s3rver treats entries in it as buckets
pidfile="$state/s3rver-$port.pid"
logfile="$state/s3rver-$port.log"
[[ "$port" =~ ^[0-9]+$ ]] || die "S3_PORT '$port' is not a number"
# S3 bucket naming rules (the subset s3rver and MinIO agree on).
[[ "$bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "S3_BUCKET '$bucket' is not a valid bucket name"

# Status code of a bare HTTP request (s3rver accepts unsigned requests as anonymous); empty if nothing answers.
http_status() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "%s /%s HTTP/1.0\r\nHost: %s:%s\r\nContent-Length: 0\r\n\r\n" "$3" "$4" "$1" "$2" >&3
    IFS=" " read -r -t 2 _ status _ <&3 && printf "%s" "$status"
  ' s3-probe "$address" "$port" "$1" "$2" 2>/dev/null || true
}

print_env() {
  local host="$address"
  [[ "$host" == 0.0.0.0 ]] && host=127.0.0.1
  # S3RVER/S3RVER is s3rver's built-in key pair (it does not enforce secrets strictly: dev only).
  cat <<VARS
export BIDFCL_STORE=s3://$bucket/
export BIDFCL_S3_ENDPOINT=http://$host:$port
export BIDFCL_S3_REGION=us-east-1
export BIDFCL_S3_ACCESS_KEY_ID=S3RVER
export BIDFCL_S3_SECRET_ACCESS_KEY=S3RVER
VARS
}

mode="${1:-background}"
case "$mode" in
  background|--background) ;;
  --foreground|--stop) ;;
  -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$mode' (use --foreground, --stop or nothing)" ;;
esac

serve=(node "$root/infra/scripts/s3rver-serve.mjs")
export S3_ADDRESS="$address" S3_PORT="$port" S3_BUCKET="$bucket" S3_DIR="$dir"
# Only s3rver's own process gets the legacy provider (for its DES continuation tokens).
serve_env=(env "NODE_OPTIONS=--openssl-legacy-provider${NODE_OPTIONS:+ $NODE_OPTIONS}")

if [[ "$mode" == --stop ]]; then
  if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    pid="$(cat "$pidfile")"
    kill -TERM "$pid"
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && die "s3rver (pid $pid) did not stop"
    rm -f "$pidfile"
    log "stopped s3rver (pid $pid) on port $port."
  else
    rm -f "$pidfile"
    log "no s3rver started by this script is running on port $port."
  fi
  exit 0
fi

if [[ -n "$(http_status GET "")" ]]; then
  case "$(http_status HEAD "$bucket")" in
    200) log "an S3 already answers on $address:$port with bucket '$bucket'; reusing it." ;;
    404)
      [[ "$(http_status PUT "$bucket")" == 200 ]] || die "an S3 answers on $address:$port but bucket '$bucket' could not be created"
      log "an S3 already answers on $address:$port; created bucket '$bucket'." ;;
    *) die "something answers on $address:$port but does not behave like an anonymous-friendly S3 (s3rver); pick another S3_PORT" ;;
  esac
  print_env
  exit 0
fi

command -v node >/dev/null 2>&1 || die "node is not on PATH"
[[ -d "$root/node_modules/s3rver" ]] || die "s3rver is not installed; run 'npm ci' in $root first"
mkdir -p "$state" "$dir"

if [[ "$mode" == --foreground ]]; then
  print_env
  exec "${serve_env[@]}" "${serve[@]}"
fi

# setsid + nohup: the server outlives this shell and a closing terminal.
setsid nohup "${serve_env[@]}" "${serve[@]}" >"$logfile" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidfile"

# Poll (bounded) until the bucket answers; a fresh s3rver is up in well under a second.
wait_s="${S3_WAIT_SECONDS:-15}"
for ((i = 0; i < wait_s * 10; i++)); do
  if [[ "$(http_status HEAD "$bucket")" == 200 ]]; then
    log "s3rver (pid $pid) serves bucket '$bucket' at http://$address:$port from $dir; log: $logfile"
    print_env
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || { tail -n 20 "$logfile" >&2 || true; rm -f "$pidfile"; die "s3rver exited during start"; }
  sleep 0.1
done
tail -n 20 "$logfile" >&2 || true
die "s3rver did not serve bucket '$bucket' within ${wait_s}s (pid $pid still running; stop it with --stop)"

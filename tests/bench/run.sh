#!/usr/bin/env bash
# Hookscope benchmarks, printed side by side with their peers and targets.
# Usage: tests/bench/run.sh BUILD_DIR [capture] (run through packaging/setup.sh bench)
set -euo pipefail
build=${1:?build dir}
what=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
hookscope="$build/ui/hookscope"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-16}

source "$here/common.sh"

measure() { # name port -> "rps p99_ms"
  wrk -t2 -c"$connections" -d2s -s "$here/webhook.lua" "http://127.0.0.1:$2/" > /dev/null 2>&1 || true # warm-up
  wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$here/webhook.lua" "http://127.0.0.1:$2/" > "$work/$1.wrk" 2>&1
  sed -n 's/^RESULT rps=\([0-9.]*\) p50_us=\([0-9]*\) p99_us=\([0-9]*\) requests=\([0-9]*\) errors=\([0-9]*\)/\1 \3 \4 \5/p' "$work/$1.wrk"
}

capture_bench() {
  # The body the script sends, and its real SHA-256 digest for the Digest header.
  WEBHOOK_BODY_OUT="$work/body.json" wrk -t1 -c1 -d1s -s "$here/webhook.lua" http://127.0.0.1:9/ > /dev/null 2>&1 || true
  export WEBHOOK_DIGEST=$(openssl dgst -sha256 -binary "$work/body.json" | base64)
  echo "== capture + durable store: wrk -c$connections, ${duration}s, 1 KiB signed JSON webhook"
  "$hookscope" listen --port 0 --store "$work/bench.sqlite" > "$work/hookscope.log" 2> "$work/hookscope.err" &
  hs_pid=$!
  hs_port=$(port_of "$work/hookscope.log")
  mkdir -p "$work/nginx/body"
  sed "s#PREFIX#$work/nginx#g; s#PORT#0#" "$here/nginx.conf" > /dev/null
  ng_port=$((20000 + RANDOM % 20000))
  sed "s#PREFIX#$work/nginx#g; s#PORT#$ng_port#" "$here/nginx.conf" > "$work/nginx/nginx.conf"
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  ng_pid=$!
  node "$here/node-peer.js" 0 > "$work/node.log" &
  node_pid=$!
  node_port=$(port_of "$work/node.log")
  sleep 0.5

  read -r h_rps h_p99 h_n h_err <<< "$(measure hookscope "$hs_port")"
  # hookscope analyses (decodes) what it captured in the background, after a burst: the peers
  # are measured once it is idle, not on cores it still uses.
  wait_idle "$hs_pid"
  read -r n_rps n_p99 n_n n_err <<< "$(measure node "$node_port")"
  read -r g_rps g_p99 g_n g_err <<< "$(measure nginx "$ng_port")"
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$hs_pid/status")
  stored=$("$hookscope" export --store "$work/bench.sqlite" --format jsonl | wc -l)
  printf '%-34s %12s %10s %10s %8s\n' "server" "requests/s" "p99 ms" "requests" "errors"
  printf '%-34s %12.0f %10.2f %10d %8d\n' "hookscope listen (stores durably)" "$h_rps" "$(echo "$h_p99/1000" | bc -l)" "$h_n" "$h_err"
  printf '%-34s %12.0f %10.2f %10d %8d\n' "node http (reads body, no store)" "$n_rps" "$(echo "$n_p99/1000" | bc -l)" "$n_n" "$n_err"
  printf '%-34s %12.0f %10.2f %10d %8d\n' "nginx return 200 (ceiling)" "$g_rps" "$(echo "$g_p99/1000" | bc -l)" "$g_n" "$g_err"
  printf 'ratio hookscope/node = %.2f (target >= 0.85), hookscope/nginx = %.2f\n' \
    "$(echo "$h_rps/$n_rps" | bc -l)" "$(echo "$h_rps/$g_rps" | bc -l)"
  printf 'target: >= 30000 requests/s with p99 <= 5 ms; captures in the store: %d\n' "$stored"
  printf 'hookscope RSS after %d captures: %.1f MiB (target < 100 MiB)\n' "$stored" "$(echo "$rss_kb/1024" | bc -l)"
  kill "$hs_pid" "$ng_pid" "$node_pid" 2>/dev/null || true
  wait 2>/dev/null || true

  # Headless start to listening: median of 11 starts.
  times=()
  for _ in $(seq 1 11); do
    start=$(date +%s%N)
    "$hookscope" listen --port 0 --store "$work/start.sqlite" > "$work/start.log" 2>/dev/null &
    pid=$!
    until grep -q listening "$work/start.log" 2>/dev/null; do sleep 0.001; done
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 6p)
  printf 'headless start to listening: median %d ms over 11 starts (target <= 150 ms)\n' "$median"
}

case "$what" in
  capture|all) capture_bench ;;
esac
for extra in "$here"/*/run.sh; do
  [ -f "$extra" ] || continue
  [ "$what" = all ] || [ "$what" = "$(basename "$(dirname "$extra")")" ] || continue
  bash "$extra" "$build"
done

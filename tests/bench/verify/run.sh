#!/usr/bin/env bash
# Verification benchmark (tests/bench/README.md, "verify"):
#   1. rsa-sha256 verifications per second on one thread with a cached key (bench_verify)
#      beside `openssl speed rsa2048` in the same run;
#   2. wrk POSTing a correctly signed 1 KiB JSON webhook to `hookscope listen --jwks` (verifies
#      and stores every capture), nginx (ceiling), a node:crypto server doing the same Digest +
#      RSA check, and the provider's documented express receiver.
# Usage: tests/bench/verify/run.sh BUILD_DIR (tests/bench/run.sh BUILD_DIR verify runs it)
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
hookscope="$build/ui/hookscope"
bench_verify="$build/tests/bench/bench_verify"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-16}
ms() { echo "$1/1000" | bc -l; }
ratio() { echo "$1/$2" | bc -l; }
now_ns() { date +%s%N; }

source "$here/../common.sh"

export HOOKSCOPE_BENCH_REQUEST="$work/request.lua"
measure() { # name port -> "rps p99_us requests errors"
  wrk -t2 -c"$connections" -d2s -s "$here/verify.lua" "http://127.0.0.1:$2/" > /dev/null 2>&1 || true # warm-up
  wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$here/verify.lua" "http://127.0.0.1:$2/" > "$work/$1.wrk" 2>&1
  sed -n 's/^RESULT rps=\([0-9.]*\) p50_us=\([0-9]*\) p99_us=\([0-9]*\) requests=\([0-9]*\) errors=\([0-9]*\)/\1 \3 \4 \5/p' "$work/$1.wrk"
}

check_200() { # name port: the benchmark request must be accepted before it is timed
  status=$(curl -s -o /dev/null -w '%{http_code}' -K "$work/request.curl" "http://127.0.0.1:$2/")
  [ "$status" = 200 ] || { echo "$1 answers $status to the signed benchmark request, not 200" >&2; exit 1; }
}

echo "== verify: rsa-sha256 verifications per second, one thread, RSA-2048 key parsed once"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
openssl speed -seconds 3 rsa2048 > "$work/speed.txt" 2> /dev/null
ossl=$(awk '/^rsa 2048 bits/ {print $NF}' "$work/speed.txt")
"$bench_verify" 3 > "$work/bench_verify.txt"
result() { sed -n "s/^RESULT.* $1=\([0-9.]*\).*/\1/p" "$work/bench_verify.txt"; }
base=$(result baseline_per_s)
printf '%-62s %12s %10s %10s %12s\n' "one thread (per CPU second, as openssl speed counts)" "verify/s" "vs openssl" "vs EVP" "verify/wall-s"
printf '%-62s %12.0f %10s %10s %12s\n' "openssl speed -seconds 3 rsa2048 (verify/s column)" "$ossl" "" "" ""
for row in "EVP_PKEY_verify, context set up once (same key, same process)|baseline" \
           "Verify::verifySignature rsa-v1_5-sha256 (signing string)|raw" \
           "Verify::Verifier::verify (whole request, strict policy)|verify" \
           "  ... plus the verdict JSON that listen stores|verify_json"; do
  name=${row%|*} key=${row#*|}
  cpu=$(result "${key}_per_s") wall=$(result "${key}_wall_per_s")
  printf '%-62s %12.0f %10.2f %10.2f %12.0f\n' "$name" "$cpu" "$(ratio "$cpu" "$ossl")" "$(ratio "$cpu" "$base")" "${wall:-0}"
done
raw=$(result raw_per_s)
printf 'target: verifySignature >= 0.80 x openssl speed per core: %.2f, %s (%.2f of the same loop in this process)\n' \
  "$(ratio "$raw" "$ossl")" "$([ "$(echo "$raw >= 0.8 * $ossl" | bc)" = 1 ] && echo met || echo NOT met)" "$(ratio "$raw" "$base")"

echo "== verify: wrk -c$connections, ${duration}s, signed 1 KiB JSON webhook (Digest + rsa-sha256), every server verifies"
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund > /dev/null)
node "$here/sign-request.js" "$work" # key pair, JWKS and the request, dated now (300 s of skew allowed)
"$hookscope" verify --jwks "$work/jwks.json" "$work/request.http" > "$work/verify.txt" \
  || { cat "$work/verify.txt" >&2; echo "hookscope verify does not verify the benchmark request" >&2; exit 1; }

"$hookscope" listen --port 0 --store "$work/verify.sqlite" --jwks "$work/jwks.json" --json > "$work/hookscope.log" 2> "$work/hookscope.err" &
hs_pid=$!
hs_port=$(port_of "$work/hookscope.log")
mkdir -p "$work/nginx/body"
ng_port=$((20000 + RANDOM % 20000))
sed "s#PREFIX#$work/nginx#g; s#PORT#$ng_port#" "$here/../nginx.conf" > "$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
ng_pid=$!
node "$here/node-crypto-peer.js" "$work/jwks.json" 0 > "$work/node.log" &
node_pid=$!
node "$here/express-receiver.js" "$work/jwks.json" 0 > "$work/express.log" &
ex_pid=$!
node_port=$(port_of "$work/node.log")
ex_port=$(port_of "$work/express.log")
sleep 0.5
for server in "hookscope $hs_port" "nginx $ng_port" "node-crypto $node_port" "express $ex_port"; do
  check_200 $server
done

# hookscope answers before it verifies (verification runs off the accept path), so its figure
# is the rate at which verdicts reach the store: every capture with a verdict, over the time from
# the first request (warm-up included) to the last verdict. listen --json prints one line per
# capture right after handing its verdict to the store; the counts come from `export` after a clean stop.
hs_start=$(now_ns)
read -r h_rps h_p99 h_n h_err <<< "$(measure hookscope "$hs_port")"
# The log's size, not its line count, tells when it last grew: counting lines read the whole
# log (700 MB by the end) 20 times a second, on the cores the analysis needs.
size=-1
last_change=$(now_ns)
for _ in $(seq 1 2400); do # up to 120 s of backlog
  current=$(stat -c %s "$work/hookscope.log")
  t=$(now_ns)
  if [ "$current" -ne "$size" ]; then
    size=$current
    last_change=$t
  elif [ $((t - last_change)) -gt 1500000000 ]; then
    break
  fi
  sleep 0.05
done
hs_seconds=$(echo "($last_change - $hs_start)/1000000000" | bc -l)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$hs_pid/status")
kill -TERM "$hs_pid"
wait "$hs_pid" || true
read -r stored verified <<< "$("$hookscope" export --store "$work/verify.sqlite" --format jsonl \
  | awk '/"verdict":"verified"/ {v++} END {print NR, v + 0}')"
v_rps=$(echo "$verified/$hs_seconds" | bc -l)

read -r n_rps n_p99 n_n n_err <<< "$(measure node-crypto "$node_port")"
read -r e_rps e_p99 e_n e_err <<< "$(measure express "$ex_port")"
read -r g_rps g_p99 g_n g_err <<< "$(measure nginx "$ng_port")"

printf '%-46s %12s %10s %10s %8s\n' "server" "requests/s" "p99 ms" "requests" "errors"
printf '%-46s %12.0f %10.2f %10d %8d\n' "hookscope listen --jwks (acknowledged)" "$h_rps" "$(ms "$h_p99")" "$h_n" "$h_err"
printf '%-46s %12.0f %10s %10d %8s\n' "hookscope listen --jwks (verified and stored)" "$v_rps" "" "$verified" ""
printf '%-46s %12.0f %10.2f %10d %8d\n' "node:crypto server (Digest + RSA, key cached)" "$n_rps" "$(ms "$n_p99")" "$n_n" "$n_err"
printf '%-46s %12.0f %10.2f %10d %8d\n' "provider's express receiver (JWKS read/req)" "$e_rps" "$(ms "$e_p99")" "$e_n" "$e_err"
printf '%-46s %12.0f %10.2f %10d %8d\n' "nginx return 200 (ceiling, no verification)" "$g_rps" "$(ms "$g_p99")" "$g_n" "$g_err"
printf 'captures stored: %d, verdict "verified": %d, last verdict %.1f s after the first request\n' \
  "$stored" "$verified" "$hs_seconds"
printf 'verified-and-stored %.0f/s (target >= 15000); vs node:crypto %.2fx (target >= 1.5); vs express %.1fx (target >= 10); p99 %.2f ms (target <= 5)\n' \
  "$v_rps" "$(ratio "$v_rps" "$n_rps")" "$(ratio "$v_rps" "$e_rps")" "$(ms "$h_p99")"
printf 'acknowledged vs node:crypto %.2fx, vs express %.1fx, vs nginx %.2f; hookscope RSS %.1f MiB\n' \
  "$(ratio "$h_rps" "$n_rps")" "$(ratio "$h_rps" "$e_rps")" "$(ratio "$h_rps" "$g_rps")" "$(echo "$rss_kb/1024" | bc -l)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

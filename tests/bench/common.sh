# Helpers shared by the benchmark scripts (sourced by tests/bench/run.sh and tests/bench/*/run.sh).

port_of() { # waits for "listening on ...:PORT" (or "listening on PORT") in a log file
  for _ in $(seq 1 200); do
    p=$(sed -n 's/.*listening on [a-z:/]*[0-9.]*:\([0-9]*\).*/\1/p; s/^listening on \([0-9]*\)$/\1/p' "$1" | head -1)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.05
  done
  echo "no port in $1" >&2; exit 1
}

# Helpers shared by the benchmark scripts (sourced by tests/bench/run.sh and tests/bench/*/run.sh).

port_of() { # waits for "listening on ...:PORT" (or "listening on PORT") in a log file
  for _ in $(seq 1 200); do
    p=$(sed -n 's/.*listening on [a-z:/]*[0-9.]*:\([0-9]*\).*/\1/p; s/^listening on \([0-9]*\)$/\1/p' "$1" | head -1)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.05
  done
  echo "no port in $1" >&2; exit 1
}

wait_idle() { # PID: waits (up to 120 s) until the process has used no CPU for half a second
  local before after
  for _ in $(seq 1 240); do
    before=$(awk '{print $14 + $15}' "/proc/$1/stat")
    sleep 0.5
    after=$(awk '{print $14 + $15}' "/proc/$1/stat")
    [ "$before" = "$after" ] && return
  done
}

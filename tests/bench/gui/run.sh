#!/usr/bin/env bash
# GUI benchmarks: a million captures in the list, and the window under 5,000 requests/s.
#   tests/bench/gui/run.sh BUILD_DIR [--rows N]
# Runs offscreen (no display needed); prints measured values beside the targets.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [--rows N]}
shift
bench="$build/tests/ui/hookscope_guibench"
[ -x "$bench" ] || { echo "missing $bench: build the hookscope_guibench target" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
echo "== 1,000,000 stored captures: first paint, filter, memory"
"$bench" load --store "$work/captures.db" "$@"
echo
echo "== 5,000 requests/s for 10 s through a real listener: event-loop latency, batched inserts"
"$bench" live --rate 5000 --seconds 10

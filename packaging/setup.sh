#!/usr/bin/env bash
# Hookscope set-up for a Debian 12 machine: installs what is missing, builds, then
#   run   - starts Hookscope listening on 127.0.0.1:8080 (the window when a display is
#           available, the headless listener otherwise)
#   test  - runs the whole test suite (ctest)
#   bench - runs the benchmarks in tests/bench (see tests/bench/README.md)
# Re-running is cheap: installed packages and an up-to-date build are kept.
set -euo pipefail

mode=${1:-run}
shift || true
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HOOKSCOPE_BUILD_DIR:-$root/build}

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libsqlite3-dev liblz4-dev libgoogle-perftools-dev libgl-dev libssl-dev
    curl ca-certificates
)
case "$mode" in
    test) packages+=(xvfb xauth netcat-openbsd) ;;
    bench) packages+=(wrk nginx-light bc) ;;
esac
command -v node > /dev/null && command -v npm > /dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2> /dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOOKSCOPE_WERROR=$werror > /dev/null
cmake --build "$build" -j"$(nproc)"

case "$mode" in
    run)
        if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
            exec "$build/ui/hookscope" "$@"
        fi
        exec "$build/ui/hookscope" listen --bind 127.0.0.1 --port 8080 "$@"
        ;;
    test)
        cd "$build"
        exec ctest --output-on-failure -j"$(nproc)" --timeout 600 "$@"
        ;;
    bench)
        exec bash "$root/tests/bench/run.sh" "$build" "$@"
        ;;
    *)
        echo "usage: packaging/setup.sh run|test|bench" >&2
        exit 2
        ;;
esac

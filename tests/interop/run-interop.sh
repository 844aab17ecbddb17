#!/usr/bin/env bash
# ctest driver: installs the pinned npm signers when node_modules is missing (npm registry only),
# then runs run-interop.mjs. Usage: run-interop.sh HOOKSCOPE_BINARY WORKDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "interop: $tool is not installed (apt-get install nodejs npm)" >&2; exit 1; }
done
if [ ! -d "$here/node_modules/http-signature" ] || [ ! -d "$here/node_modules/http-message-signatures" ]; then
    (cd "$here" && npm ci --no-audit --no-fund >&2)
fi
exec node "$here/run-interop.mjs" "$1" "$2"

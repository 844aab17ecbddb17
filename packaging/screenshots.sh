#!/usr/bin/env bash
# Takes the README screenshots under Xvfb: the main window with verified, failed and rejected
# captures (real requests over real sockets, signed with openssl like the provider signs:
# Digest SHA-256 + draft-cavage rsa-sha256 over "(request-target) host date digest"), the
# signature panel of a verified capture, and the keys manager.
#   packaging/screenshots.sh [BUILD_DIR]      -> docs/screenshots/*.png
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
app="$build/ui/hookscope"
out="$root/docs/screenshots"
keys="$root/tests/data/verify/keys"
[ -x "$app" ] || { echo "missing $app: build first" >&2; exit 1; }
for tool in xvfb-run import xdotool openssl curl nc; do
    command -v "$tool" > /dev/null && continue
    [ "$(id -u)" -eq 0 ] || { echo "screenshots: please install $tool" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        xvfb xauth imagemagick xdotool openssl curl netcat-openbsd > /dev/null
    break
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2> /dev/null || true; rm -rf "$work"' EXIT
main_port=$((20000 + RANDOM % 10000))
billing_port=$((main_port + 1))
cat > "$work/settings.ini" << INI
[store]
path=$work/captures.db
[ui]
theme=light
[endpoints]
list="[{\"name\":\"main\",\"bind\":\"127.0.0.1\",\"port\":$main_port,\"keySources\":[\"$keys/test-key-rsa.public.pem\"]},{\"name\":\"billing\",\"bind\":\"127.0.0.1\",\"port\":$billing_port,\"keySources\":[\"$keys/test-key-rsa.public.pem\"]}]"
[window]
splitter=
INI

# send PORT PATH BODY [KEY] [TAMPERED_BODY]: a provider-style signed POST
send() {
    local port=$1 path=$2 body=$3 key=${4:-$keys/test-key-rsa.private.pem} sent=${5:-$3}
    local date digest signing signature
    date=$(LC_ALL=C TZ=GMT date '+%a, %d %b %Y %H:%M:%S GMT')
    digest="SHA-256=$(printf '%s' "$body" | openssl dgst -sha256 -binary | base64 -w0)"
    signing=$(printf '(request-target): post %s\nhost: 127.0.0.1:%s\ndate: %s\ndigest: %s' "$path" "$port" "$date" "$digest")
    signature=$(printf '%s' "$signing" | openssl dgst -sha256 -sign "$key" | base64 -w0)
    curl -s -o /dev/null "http://127.0.0.1:$port$path" -H "Date: $date" -H "Digest: $digest" \
        -H 'Content-Type: application/json' \
        -H "Authorization: Signature keyId=\"test-key-rsa\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"$signature\"" \
        --data-binary "$sent"
}

# xvfb-run is a POSIX sh script: exported bash functions do not survive it, a file does
{ echo "keys='$keys'"; declare -f send; } > "$work/send.sh"
export HOOKSCOPE_SETTINGS="$work/settings.ini" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    set -euo pipefail
    "$0" -geometry 1280x800+0+0 > "$1/app.log" 2>&1 &
    for _ in $(seq 1 100); do grep -q "listening on" "$1/app.log" && break; sleep 0.1; done
    source "$1/send.sh"
    send '"$main_port"' /hooks/orders "{\"type\":\"order.created\",\"id\":\"ord_1001\",\"total\":4200}"
    send '"$billing_port"' /hooks/billing "{\"type\":\"invoice.paid\",\"id\":\"in_2001\",\"amount\":1999}"
    send '"$main_port"' /hooks/orders "{\"type\":\"order.created\",\"id\":\"ord_1002\",\"total\":150}"
    send '"$main_port"' /hooks/orders "{\"type\":\"order.created\",\"id\":\"ord_1003\",\"total\":90}" "'"$keys"'/cavage-test-key.private.pem"
    send '"$billing_port"' /hooks/billing "{\"type\":\"invoice.paid\",\"id\":\"in_2002\",\"amount\":500}" "" "{\"type\":\"invoice.paid\",\"id\":\"in_2002\",\"amount\":50000}"
    curl -s -o /dev/null http://127.0.0.1:'"$main_port"'/hooks/orders -H "Content-Type: application/json" --data-binary "{\"type\":\"ping\"}"
    printf "POST /hooks/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 12, 13\r\n\r\n" | nc -q1 127.0.0.1 '"$main_port"' > /dev/null || true
    send '"$billing_port"' /hooks/billing "{\"type\":\"invoice.paid\",\"id\":\"in_2003\",\"amount\":7500}"
    sleep 2
    import -window root "$2/main-window.png"
    # the first capture (verified): overview, then its Signature tab
    xdotool mousemove 300 102 click 1
    sleep 1
    import -window root "$2/overview.png"
    xdotool mousemove 978 88 click 1
    sleep 1
    import -window root "$2/signature.png"
    xdotool key ctrl+f; sleep 0.2
    xdotool type --delay 20 "not verdict:verified"; sleep 1.5
    import -window root "$2/filter.png"
    xdotool key ctrl+a BackSpace; sleep 1
    xdotool key ctrl+k; sleep 1.5
    xdotool mousemove 630 520 click 1; sleep 0.3
    # a JWKS pasted as one line (typing keeps no line breaks reliably)
    tr -d "\n" < "$keys/../../ui/rfc7517-A.1-public.jwks.json" > "$1/jwks.json"
    xdotool type --delay 2 --file "$1/jwks.json"
    xdotool mousemove 1007 636 click 1; sleep 1
    import -window root "$2/keys-manager.png"
' "$app" "$work" "$out"

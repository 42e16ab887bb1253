#!/usr/bin/env bash
# Makes the service's class cache next to the jar: target/chat-serve.aot (an AOT cache, on a JDK 25 or newer) or
# target/chat-serve.jsa (a CDS archive, on 21 to 24). The build runs it after packaging; `target/chat` then starts
# the service with it, which roughly halves the time to ready (the JVM maps the classes it loaded, parsed, verified
# and linked here instead of doing that again). It trains on a real run: the service on a scratch embedded database,
# ready, then New, Send and History answered once each, then stopped. Where that fails the build goes on without a
# cache (the launcher starts the service without one), and says so.
#
#   class-cache.sh TARGET_DIR
set -uo pipefail

@FIND_JAVA@

target=$(readlink -f "$1")
java=$(find_java) || { echo "class cache: no Java 21 or newer found; skipped" >&2; exit 0; }
rm -f "$target/chat-serve.aot" "$target/chat-serve.jsa"
if [ "$(java_feature "$java")" -ge 25 ]; then
    options=(-XX:AOTCacheOutput="$target/chat-serve.aot")
    cache=$target/chat-serve.aot
else
    options=(-XX:ArchiveClassesAtExit="$target/chat-serve.jsa")
    cache=$target/chat-serve.jsa
fi

port= # a free port on the loopback address: one that refuses a connection
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "class cache: no free port; skipped" >&2; exit 0; }

call() { # METHOD PATH [JSON]: one HTTP/1.1 exchange on a fresh connection; prints the status line, the headers and the body
    local body=${3:-}
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n%s' \
        "$1" "$2" "$port" "${#body}" "$body" >&3
    local line length=0
    while IFS= read -r line <&3; do # the status line and the headers, up to the empty line
        line=${line%$'\r'}
        [ -n "$line" ] || break
        echo "$line"
        case "${line,,}" in content-length:*) length=${line#*:}; length=${length// /} ;; esac
    done
    [ "$length" -gt 0 ] && head -c "$length" <&3 # the server need not close the connection after the answer
    echo
    exec 3<&-
}

data=$target/class-cache-data
rm -rf "$data"
log=$target/class-cache.log
env -u CHAT_DB_URL CHAT_DATA_DIR="$data" "$java" "${options[@]}" -Dserver.host=127.0.0.1 -Dserver.port="$port" \
    -jar "$target/chat.jar" >"$log" 2>&1 &
pid=$!
ready=
for _ in $(seq 1 600); do
    if call GET /health/ready 2>/dev/null | head -n1 | grep -q ' 200'; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
done
if [ -n "$ready" ]; then
    chat=$(call POST /chat/New '{"user_ids":["cache-a","cache-b"]}' | sed -n 's/.*"chat_id":"\([^"]*\)".*/\1/p')
    call POST /chat/Send "{\"chat_id\":\"$chat\",\"user_id\":\"cache-a\",\"text\":\"hello\"}" >/dev/null
    call POST /chat/History "{\"chat_id\":\"$chat\"}" >/dev/null
fi
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$data"
if [ -z "$ready" ] || [ ! -s "$cache" ]; then
    rm -f "$cache"
    echo "class cache: the training run did not finish (see $log); target/chat starts without a class cache" >&2
fi
exit 0

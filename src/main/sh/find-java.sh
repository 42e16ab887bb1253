# Finds a java 21 or newer, for the scripts that run Java themselves (bench/run, and the `chat` launcher the build
# writes into target/, which gets a copy of this file). Source it, then: JAVA=$(find_java) || ...
#
# Where it looks, in order: JAVA_HOME (which wins when it is new enough), the java alternatives the system has
# registered, the default java on the PATH, and every JDK installed next to the default one (in the directory that
# holds the default JDK). Among them it takes the newest.

java_feature() { # the feature release of a java binary (17, 21, 25, ...), or 0
    local java home line version=""
    # A JDK's `release` file names its version: reading it is much quicker than starting the JVM to ask (and this
    # runs before every `chat` command).
    java=$(readlink -f "$1")
    home=${java%/bin/java}
    if [ "$home" != "$java" ] && [ -r "$home/release" ]; then
        while IFS= read -r line; do
            case "$line" in
                JAVA_VERSION=*) version=${line#JAVA_VERSION=}; version=${version//\"/}; break ;;
            esac
        done <"$home/release"
        version=${version#1.}   # 1.8.0_392 is 8
        version=${version%%[!0-9]*}
        if [ -n "$version" ]; then
            echo "$version"
            return 0
        fi
    fi
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1 | grep . || echo 0
}

find_java() { # a java 21+: JAVA_HOME, the registered alternatives, then JDKs installed next to the default one
    local candidates=() default home
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
    if command -v update-alternatives >/dev/null; then
        while read -r c; do candidates+=("$c"); done < <(update-alternatives --list java 2>/dev/null || true)
    fi
    if default=$(command -v java); then
        candidates+=("$default")
        home=$(readlink -f "$default")
        home=${home%/bin/java}
        for c in "${home%/*}"/*/bin/java; do candidates+=("$c"); done
    fi
    local best="" best_v=0 v c
    for c in "${candidates[@]}"; do
        [ -x "$c" ] || continue
        v=$(java_feature "$c")
        if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
        # JAVA_HOME wins when it is new enough
        if [ -n "${JAVA_HOME:-}" ] && [ "$c" = "$JAVA_HOME/bin/java" ] && [ "$v" -ge 21 ]; then break; fi
    done
    [ -n "$best" ] || return 1
    echo "$best"
}

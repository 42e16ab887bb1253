# What bench/run and bench/reliability share: finding the tools, building the service when its sources changed,
# compiling the bench (the JDK alone: javac --release 21, no dependencies) and the links the service runs from.
# Source it from the repository's root after src/main/sh/find-java.sh.

find_pg_tool() { # psql, pgbench: on the PATH, else in the server's bin directory
    if command -v "$1" 2>/dev/null; then return 0; fi
    if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/$1" ]; then echo "$(pg_config --bindir)/$1"; return 0; fi
    return 1
}

service_is_built() { # target/chat.jar is newer than everything it is built from
    [ -f target/chat.jar ] && [ -d target/libs ] \
        && [ -z "$(find pom.xml src openapi db -newer target/chat.jar -print -quit)" ]
}

build_service() { # LOGFILE: builds target/chat.jar; on failure the log's end goes to stderr
    mvn -q -B --no-transfer-progress -DskipTests package >"$1" 2>&1 || { tail -n 40 "$1" >&2; return 1; }
}

compile_bench() { # JAVA_BIN OUTDIR: bench/*.java into OUTDIR/classes, packed as OUTDIR/bench.jar
    mkdir -p "$2/classes"
    "$1/javac" -d "$2/classes" --release 21 bench/*.java || return 1
    # The bench runs from a jar, which the JVM holds open: a process that used up its file descriptors (the
    # connections measure goes up to the limit) can still load the classes it needs to report what stopped it.
    "$1/jar" --create --file "$2/bench.jar" -C "$2/classes" .
}

link_app() { # OUTDIR: the service runs from links under OUTDIR/app, so that its command line does not look like
    # other copies of the service on the same machine (a broad "pkill -f chat.jar" elsewhere must not end it)
    mkdir -p "$1/app"
    ln -sfn "$(readlink -f target/chat.jar)" "$1/app/service.jar"
    ln -sfn "$(readlink -f target/libs)" "$1/app/libs"
}

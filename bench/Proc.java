import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a server process holds, read from outside it: heap in use after a full GC (by {@code jcmd}), resident
 * memory and open files (from {@code /proc}). Works for the service and the reference alike, so their figures
 * compare.
 */
final class Proc {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    final long pid;
    private final String jcmd;

    Proc(long pid, String jcmd) {
        this.pid = pid;
        this.jcmd = jcmd;
    }

    static Proc of(Args args) {
        return new Proc(Long.parseLong(args.get("pid")), args.get("jcmd", "jcmd"));
    }

    /** Heap in use right after a full GC, in bytes (-1 when jcmd could not tell). One jcmd start for both. */
    long heapAfterGc() throws IOException, InterruptedException {
        Path commands = Files.createTempFile("bench-jcmd", ".txt");
        try {
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "-f", commands.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Matcher m = HEAP_USED.matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } finally {
            Files.deleteIfExists(commands);
        }
    }

    /** Resident set size in bytes. */
    long rss() throws IOException {
        return status(pid, "VmRSS:") * 1024;
    }

    /**
     * {heap after a full GC, RSS} in bytes. RSS is read a second after the GC: G1 gives the memory it shrinks by
     * back to the system in the background, and a reading taken at once could count it or not.
     */
    long[] memory() throws IOException, InterruptedException {
        long heap = heapAfterGc();
        Thread.sleep(1000);
        return new long[]{heap, rss()};
    }

    /** Threads of the process (platform threads: virtual ones run on a few carriers and are not counted). */
    int threads() throws IOException {
        return (int) status(pid, "Threads:");
    }

    /**
     * Whether some process still holds the TCP connection between these loopback ports: false once the
     * server closed its socket, even while the kernel still tries to deliver what it had written (an orphaned
     * socket has no inode), or when the connection is gone. Read from {@code /proc/net/tcp} and {@code tcp6} (a
     * JVM's sockets are IPv6 ones, also for IPv4 addresses), so it tells from outside whether the server released a
     * client that does not read.
     */
    static boolean connectionHeld(int serverPort, int clientPort) throws IOException {
        String local = String.format(":%04X", serverPort);
        String remote = String.format(":%04X", clientPort);
        for (String table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    return !f[9].equals("0");
                }
            }
        }
        return false;
    }

    /** Open file descriptors: sockets, the jars, everything. */
    int openFiles() {
        return openFiles(Path.of("/proc/" + pid + "/fd"));
    }

    /** The most files the process may open ("20,000", or "unlimited"). */
    String filesLimit() {
        return limit(Path.of("/proc/" + pid + "/limits"));
    }

    /** Open files of the process that asks (the load generator). */
    static int ownOpenFiles() {
        return openFiles(Path.of("/proc/self/fd"));
    }

    static String ownFilesLimit() {
        return limit(Path.of("/proc/self/limits"));
    }

    private static int openFiles(Path fdDir) {
        try (Stream<Path> fds = Files.list(fdDir)) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String limit(Path limits) {
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].matches("\\d+") ? String.format("%,d", Long.parseLong(f[0])) : f[0];
                }
            }
        } catch (IOException e) {
            // gone
        }
        return "?";
    }

    private static long status(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}

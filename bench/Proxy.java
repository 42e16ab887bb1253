import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of PostgreSQL, which the suite controls: the service's only way to its database,
 * so that the database can go away for the service and come back while the machine's shared server runs on
 * untouched.
 *
 * <ul>
 * <li>{@link #cut}: every connection is reset and new ones are refused, as when the database stops;</li>
 * <li>{@link #freeze}: connections stay open but nothing passes, in either direction, and new ones are accepted
 * but get no answer, as in a network partition: the database sees nothing of what the client does meanwhile
 * (not even its closing the connection), and the client nothing of the database;</li>
 * <li>{@link #restore}: connections are accepted and passed on again; after a freeze, what was held passes
 * first, in order, as TCP delivers it when a partition heals.</li>
 * </ul>
 */
final class Proxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean frozen; // guarded by gate
    private volatile ServerSocket listening;

    Proxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = Service.freePort();
        listen();
    }

    int port() {
        return port;
    }

    /** Connections open through the proxy now. */
    int connections() {
        return sockets.size() / 2;
    }

    /** Resets every connection and stops listening: connecting is refused until {@link #restore}. */
    synchronized void cut() throws IOException {
        listening.close();
        listening = null;
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0); // a reset, as from a server that went away
            } catch (IOException closed) {
                // closed meanwhile by its pump
            }
            close(s);
        }
    }

    /** Holds everything: open connections pass nothing, new ones are accepted and pass nothing. */
    void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Accepts and passes on again. */
    synchronized void restore() throws IOException {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
        if (listening == null) {
            listen();
        }
    }

    private void listen() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        listening = server;
        Thread.ofVirtual().name("proxy-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    sockets.add(client);
                    Thread.ofVirtual().start(() -> connect(client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void connect(Socket client) {
        try {
            pass();
            Socket upstream = new Socket();
            sockets.add(upstream);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
            Thread.ofVirtual().start(() -> pump(client, upstream));
            pump(upstream, client);
        } catch (IOException e) {
            close(client);
        }
    }

    /** Returns at once, or when the freeze ends. */
    private void pass() {
        synchronized (gate) {
            while (frozen) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Copies until either side ends; what it read during a freeze it writes (or the end it saw) after it. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                pass();
                out.write(buffer, 0, n);
            }
            pass();
        } catch (IOException e) {
            // reset by the cut, or by either side
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        restore();
        synchronized (this) {
            listening.close();
        }
        for (Socket s : sockets) {
            close(s);
        }
    }
}

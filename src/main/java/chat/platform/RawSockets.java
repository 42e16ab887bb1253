package chat.platform;

import io.helidon.webserver.http.ServerRequest;

import java.lang.reflect.Field;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The socket under a request on Helidon's HTTP/1 server, for the one thing its API does not offer a handler that
 * holds a connection open for a long time: learning at once that the client closed it (a blocking read returns),
 * and cutting it when the client stalls. Helidon 4.2 keeps the socket in the request's connection context, a
 * private field of its classes; where that is not reachable (another Helidon version, another protocol) this
 * answers empty, once with a warning, and callers fall back to noticing a dead client by a failed write.
 */
public final class RawSockets {

    private static final Logger LOG = Logger.getLogger(RawSockets.class.getName());
    /** What a connection reads with once its event stream began: nothing is read but the end of the connection. */
    static final int SMALL_READ_BUFFER = 512;

    private record Member(Class<?> type, String name) {
    }

    private static final ConcurrentHashMap<Member, Optional<Field>> FIELDS = new ConcurrentHashMap<>();
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicBoolean WARNED_BUFFER = new AtomicBoolean();

    private RawSockets() {
    }

    public static Optional<Socket> of(ServerRequest request) {
        Optional<Object> context = read(request, "ctx");
        Optional<Socket> socket = context.flatMap(ctx -> read(ctx, "socket"))
                .filter(Socket.class::isInstance)
                .map(Socket.class::cast);
        if (socket.isEmpty() && WARNED.compareAndSet(false, true)) {
            LOG.warning(() -> "cannot reach the sockets of " + request.getClass().getName()
                    + ": a client that closes its stream is noticed only by the next heartbeat");
        }
        return socket;
    }

    /**
     * Gives back the 8 KiB read buffer that Helidon's plain socket keeps for a connection's whole life, for a
     * connection that will read nothing more than the end of its input: an event stream's, once its request was
     * read. Idle streams are what a chat service holds most of, and that buffer was about a third of the heap of
     * each (bench/run, Connections). The socket keeps a small one, so that Helidon can still read whatever comes
     * after the stream, in smaller steps. Where Helidon's classes are not as expected this does nothing (once
     * with a warning), and costs only the memory. True when the connection's buffer is the small one now.
     */
    public static boolean shrinkReadBuffer(ServerRequest request) {
        Optional<Object> socket = read(request, "ctx").flatMap(ctx -> read(ctx, "helidonSocket"));
        Optional<Field> buffer = socket.flatMap(owner -> field(owner.getClass(), "readBuffer"))
                .filter(field -> field.getType() == byte[].class);
        boolean done = false;
        if (buffer.isPresent()) {
            try {
                buffer.get().set(socket.get(), new byte[SMALL_READ_BUFFER]);
                done = true;
            } catch (IllegalAccessException | RuntimeException e) {
                // a later JDK that forbids changing final fields: the buffer stays
            }
        }
        if (!done && WARNED_BUFFER.compareAndSet(false, true)) {
            LOG.warning(() -> "cannot give back the read buffers of " + request.getClass().getName()
                    + "'s connections: each open stream keeps 8 KiB more");
        }
        return done;
    }

    private static Optional<Field> field(Class<?> type, String name) {
        return FIELDS.computeIfAbsent(new Member(type, name), member -> find(member.type(), member.name()));
    }

    private static Optional<Object> read(Object owner, String name) {
        return field(owner.getClass(), name)
                .map(field -> {
                    try {
                        return field.get(owner);
                    } catch (IllegalAccessException e) {
                        return null;
                    }
                });
    }

    private static Optional<Field> find(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return Optional.of(field);
            } catch (NoSuchFieldException e) {
                // look further up
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}

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
    private static final ConcurrentHashMap<Class<?>, Optional<Field>> FIELDS = new ConcurrentHashMap<>();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

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

    private static Optional<Object> read(Object owner, String name) {
        return FIELDS.computeIfAbsent(owner.getClass(), type -> find(type, name))
                .filter(field -> field.getName().equals(name))
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

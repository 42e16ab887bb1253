package chat.fleet;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Core NATS as the fleet's doorbell ({@code chat.fanout=nats}): after a batch commits, each changed chat's newest
 * seq is published on that chat's subject ({@code <prefix>.<chat id>}), and each instance subscribes only to the
 * chats it has streams for, so that an instance's load grows with its own streams, not with the fleet's traffic
 * (which is what NOTIFY cannot do: every listener receives every notification). No JetStream: PostgreSQL is the
 * durable log, and a signal that NATS drops is made up for by the periodic catch-up.
 *
 * <p>The signal rather than the rendered event, because a receiver must read from the database anyway whenever it
 * sees a gap (a lost message, a late subscriber), and a small signal keeps NATS traffic independent of message size.
 *
 * <p>NATS unreachable at start: the connection is tried again with a growing delay while the service runs. Lost
 * later: the client reconnects by itself and subscribes again; every followed chat is then caught up, since what
 * was published meanwhile is gone.
 */
final class NatsSignals implements Signals {

    private static final Logger LOG = Logger.getLogger(NatsSignals.class.getName());

    private final String url;
    private final String prefix;
    private final String instance;
    private final String connectionName;
    private final Set<UUID> followed = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private volatile Connection connection;
    private volatile Dispatcher dispatcher;
    private volatile Receiver receiver;
    private Thread connector;

    NatsSignals(String url, String prefix, String instance, String connectionName) {
        this.url = url;
        this.prefix = prefix;
        this.instance = instance;
        this.connectionName = connectionName;
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
        connector = Thread.ofPlatform().daemon().name("fleet-nats-connect").start(this::connect);
    }

    /** The first connection, tried until it succeeds; after that the client keeps it up by itself. */
    private void connect() {
        Options options = new Options.Builder()
                .server(url)
                .connectionName(connectionName)
                .connectionTimeout(Duration.ofSeconds(2))
                .reconnectWait(Duration.ofMillis(500))
                .maxReconnects(-1)
                .connectionListener(this::event)
                .errorListener(new ErrorListener() {
                    @Override
                    public void exceptionOccurred(Connection conn, Exception e) {
                        LOG.log(Level.FINE, "fleet: NATS client", e);
                    }
                })
                .build();
        long backoff = 100;
        boolean warned = false;
        while (running) {
            try {
                Connection open = Nats.connect(options);
                Dispatcher messages = open.createDispatcher(this::message);
                dispatcher = messages;
                connection = open;
                followed.forEach(chat -> messages.subscribe(subject(chat)));
                LOG.info(() -> "fleet: connected to NATS at " + url);
                receiver.catchUp();
                return;
            } catch (IOException | RuntimeException e) {
                if (!warned) {
                    LOG.warning(() -> "fleet: cannot reach NATS at " + url + "; other instances' messages arrive by"
                            + " the periodic catch-up until it can: " + e);
                    warned = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(PostgresSignals.MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private void event(Connection conn, ConnectionListener.Events type) {
        switch (type) {
            case DISCONNECTED -> LOG.warning("fleet: NATS connection lost; reconnecting");
            case RECONNECTED, RESUBSCRIBED -> {
                LOG.info(() -> "fleet: NATS " + type + "; catching up every followed chat");
                Receiver known = receiver;
                if (known != null) {
                    known.catchUp();
                }
            }
            default -> { }
        }
    }

    private void message(Message message) {
        SignalCodec.Decoded decoded = SignalCodec.decode(new String(message.getData(), StandardCharsets.UTF_8));
        if (!decoded.instance().equals(instance) && !decoded.signals().isEmpty()) {
            receiver.received(decoded.signals());
        }
    }

    private String subject(UUID chatId) {
        return prefix + "." + chatId;
    }

    @Override
    public void afterCommit(List<Signal> signals) {
        Connection open = connection;
        if (open == null || open.getStatus() != Connection.Status.CONNECTED) {
            return; // the periodic catch-up covers it
        }
        for (Signal signal : SignalCodec.coalesce(signals)) {
            try {
                open.publish(subject(signal.chatId()),
                        SignalCodec.encode(instance, List.of(signal), Integer.MAX_VALUE).getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "fleet: a NATS publish failed; the periodic catch-up covers it", e);
            }
        }
    }

    @Override
    public void follow(UUID chatId) {
        if (followed.add(chatId)) {
            Dispatcher messages = dispatcher;
            if (messages != null) {
                messages.subscribe(subject(chatId));
            }
        }
    }

    @Override
    public void unfollow(UUID chatId) {
        if (followed.remove(chatId)) {
            Dispatcher messages = dispatcher;
            if (messages != null) {
                try {
                    messages.unsubscribe(subject(chatId));
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "fleet: unsubscribing from NATS", e);
                }
            }
        }
    }

    @Override
    public boolean connected() {
        Connection open = connection;
        return open != null && open.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        running = false;
        if (connector != null) {
            connector.interrupt();
        }
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

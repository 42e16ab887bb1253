package chat.stream.boundary;

import chat.identity.boundary.Identity;
import chat.platform.RawSockets;
import chat.platform.ShortThreads;
import chat.problems.MicroErrors;
import chat.problems.Problem;
import chat.problems.UnexpectedProblemMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code GET /chat/Connect} and {@code /chat/Chat/Connect}: the live stream of a chat as server-sent events,
 * served by Helidon's own routing rather than JAX-RS. A stream holds its connection for hours; here it costs the
 * connection's thread and a small state object, where a JAX-RS event sink kept a second thread and the request's
 * whole JAX-RS context alive, and the handler can reach the socket to notice a client leaving at once and to cut a
 * stalled one. {@code POST} on the same paths is Send and stays with the generated JAX-RS interface. Refusals are
 * answered before the stream opens, in micro's format.
 */
@ApplicationScoped
public class ConnectRoute {

    private final Streams streams;
    private final Subscribers subscribers;
    private final Ephemera ephemera;

    @Inject
    public ConnectRoute(Streams streams, Subscribers subscribers, Ephemera ephemera) {
        this.streams = streams;
        this.subscribers = subscribers;
        this.ephemera = ephemera;
    }

    /** Registered before JAX-RS's routes, so GET on these paths is served here. */
    void register(@Observes @Initialized(ApplicationScoped.class) Object start, ServerCdiExtension server) {
        server.serverRoutingBuilder()
                .get("/chat/Connect", this::connect)
                .get("/chat/Chat/Connect", this::connect);
    }

    void connect(ServerRequest request, ServerResponse response) throws Exception {
        Streams.Opening opening;
        Subscribers.Reservation reservation;
        Connection connection = Connection.of(request);
        try {
            // steps that wait for the database run on short threads of their own: this thread waits for the
            // stream's whole life, and would keep room for their deep stacks all that time (ShortThreads)
            opening = ShortThreads.call(() -> streams.check(Identity.caller(), connection));
            reservation = subscribers.reserve(opening.chat().id(), opening.userId());
        } catch (Problem problem) {
            MicroErrors.send(response, problem);
            return;
        } catch (RuntimeException e) {
            MicroErrors.send(response, UnexpectedProblemMapper.problem(e));
            return;
        }
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/event-stream"));
        response.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-cache"));
        // nginx-style proxies would otherwise hold events back
        response.header(HeaderValues.create(HeaderNames.create("X-Accel-Buffering"), "no"));
        try (AutoCloseable online = ShortThreads.call(
                () -> ephemera.opened(opening.chat().namespace(), opening.userId()))) {
            List<byte[]> greeting = ShortThreads.call(() -> ephemera.greeting(opening.chat(), opening.userId()));
            // the request is read, and a stream reads nothing but the end of its connection
            RawSockets.shrinkReadBuffer(request);
            subscribers.run(reservation, opening.lastSeq(), connection.echo(), opening.after(), opening.expiresAt(),
                    RawSockets.of(request).orElse(null), response.outputStream(), greeting);
        }
    }
}

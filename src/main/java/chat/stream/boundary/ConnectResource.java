package chat.stream.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /chat/Connect} and {@code /chat/Chat/Connect}: the live stream of a chat as server-sent events. Written
 * by hand because an event stream cannot be generated from the spec; {@code POST} on the same paths is Send and
 * lives with the generated interface. Only registers the stream; the writing happens on the stream's own thread.
 */
@Path("/chat")
@ApplicationScoped
public class ConnectResource {

    private final Streams streams;

    @Inject
    public ConnectResource(Streams streams) {
        this.streams = streams;
    }

    @GET
    @Path("/Connect")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void connect(@BeanParam Connection connection, @Context SseEventSink sink, @Context Sse sse) {
        streams.open(connection, sink, sse);
    }

    @GET
    @Path("/Chat/Connect")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void chatConnect(@BeanParam Connection connection, @Context SseEventSink sink, @Context Sse sse) {
        connect(connection, sink, sse);
    }
}

package chat.stream.boundary;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.sse.OutboundSseEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Writes events in the wire order the API documents ({@code id}, {@code event}, {@code retry}, {@code data}), and
 * can write a lone {@code retry:} hint, which dispatches nothing in a client; Jersey's own writer puts
 * {@code event} first and writes {@code retry} only together with data. Data is written as text, one
 * {@code data:} line per line.
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class EventWriter implements MessageBodyWriter<OutboundSseEvent> {

    private static final Pattern LINES = Pattern.compile("\r\n|\r|\n");

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return OutboundSseEvent.class.isAssignableFrom(type)
                && MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(mediaType);
    }

    @Override
    public void writeTo(OutboundSseEvent event, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
            throws IOException {
        out.write(frame(event).getBytes(StandardCharsets.UTF_8));
    }

    /** The lines of one event; the sink ends each event with the blank line that dispatches it. */
    static String frame(OutboundSseEvent event) {
        var frame = new StringBuilder();
        if (event.getComment() != null) {
            for (String line : LINES.split(event.getComment(), -1)) {
                frame.append(": ").append(line).append('\n');
            }
        }
        if (event.getId() != null) {
            frame.append("id: ").append(singleLine(event.getId())).append('\n');
        }
        if (event.getName() != null) {
            frame.append("event: ").append(singleLine(event.getName())).append('\n');
        }
        if (event.getReconnectDelay() >= 0) {
            frame.append("retry: ").append(event.getReconnectDelay()).append('\n');
        }
        if (event.getData() != null && !String.valueOf(event.getData()).isEmpty()) {
            for (String line : LINES.split(String.valueOf(event.getData()), -1)) {
                frame.append("data: ").append(line).append('\n');
            }
        }
        return frame.toString();
    }

    private static String singleLine(String value) {
        return value.replace("\r", "").replace("\n", "");
    }
}

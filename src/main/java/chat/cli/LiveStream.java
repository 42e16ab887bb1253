package chat.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A chat's Connect stream that survives drops: read by hand (an event stream cannot be generated from the spec),
 * with {@link EventStream} keeping the last event id, and reopened with {@code Last-Event-ID} whenever the
 * connection ends, after the stream's {@code retry:} time, until the service answers again. The service replays
 * what came after that id, then goes on live, so nothing is lost and nothing repeats. Every drop and resume is said
 * on stderr; stdout carries only the messages.
 */
final class LiveStream {

    /** What ends the stream for good: the service refused it (a 4xx, such as a chat that no longer exists). */
    interface Refused {
        void refused(ServiceError error);
    }

    private final Service service;
    private final String query;
    private final EventStream events;
    private final Consumer<EventStream.Event> onEvent;
    private final PrintStream err;
    private volatile boolean closed;
    private volatile InputStream body;

    LiveStream(Service service, String chatId, String userId, boolean echo, Long after,
               Consumer<EventStream.Event> onEvent, PrintStream err) {
        this.service = service;
        this.query = "?chat_id=" + encode(chatId) + "&user_id=" + encode(userId) + (echo ? "&echo=true" : "");
        this.events = new EventStream(after == null ? null : Long.toString(after), 3000);
        this.onEvent = onEvent;
        this.err = err;
    }

    /** Opens the first connection: refusals and an unreachable service end the command here. */
    void open() throws ServiceError, Unreachable {
        body = connect();
    }

    /** Reads the stream until {@link #close()}, reconnecting after every drop; returns early only when refused. */
    void follow(Refused refused) {
        while (!closed) {
            String why = read(body);
            if (closed) {
                return;
            }
            String after = events.lastEventId().map(id -> "after seq " + id)
                    .orElse("from now (no event id yet: what was sent meanwhile is not replayed)");
            err.println("chat: connection lost (" + why + "); resuming " + after + " in "
                    + events.retryMillis() + " ms");
            try {
                body = reconnect();
            } catch (ServiceError e) {
                refused.refused(e);
                return;
            } catch (InterruptedException e) {
                return;
            }
            if (body == null) {
                return;
            }
            err.println("chat: reconnected, resuming " + after);
        }
    }

    /** Stops following: the open connection is closed and no other is made. */
    void close() {
        closed = true;
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing is all that was wanted
            }
        }
    }

    private String read(InputStream stream) {
        events.newConnection();
        try (var lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                events.line(line).ifPresent(onEvent);
            }
            return "the service ended the stream";
        } catch (IOException e) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }

    private InputStream reconnect() throws ServiceError, InterruptedException {
        boolean said = false;
        while (!closed) {
            Thread.sleep(events.retryMillis());
            try {
                return connect();
            } catch (Unreachable e) {
                if (!said) {
                    err.println("chat: " + e.getMessage() + "; trying again every " + events.retryMillis() + " ms");
                    said = true;
                }
            } catch (ServiceError e) {
                if (!e.retryable()) {
                    throw e;
                }
                if (!said) {
                    err.println("chat: the service answered " + e.status() + "; trying again every "
                            + events.retryMillis() + " ms");
                    said = true;
                }
            }
        }
        return null;
    }

    private InputStream connect() throws ServiceError, Unreachable {
        HttpRequest.Builder request = service.request("/chat/Connect" + query)
                .header("Accept", "text/event-stream")
                .GET();
        events.lastEventId().ifPresent(id -> request.header("Last-Event-ID", id));
        HttpResponse<InputStream> response;
        try {
            response = service.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw service.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw service.unreachable(e);
        }
        if (response.statusCode() != 200) {
            try (InputStream error = response.body()) {
                throw new ServiceError(response.statusCode(), error.readAllBytes());
            } catch (IOException e) {
                throw service.unreachable(e);
            }
        }
        return response.body();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

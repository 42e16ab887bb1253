package chat.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the service, for what the real one cannot be made to do on cue: answer what a later version might
 * (more fields, another opening block), fail once and then succeed, or show the headers a request came with. Each
 * path answers with the handler the test gives it; every request is recorded.
 */
final class StubService implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @FunctionalInterface
    interface Handler {
        void handle(Request request, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Request> arrivals = new LinkedBlockingQueue<>();

    StubService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(request);
            arrivals.add(request);
            Handler handler = handlers.get(request.method() + " " + request.path());
            try (exchange) {
                if (handler == null) {
                    answer(exchange, 404, "{\"id\":\"chat.NotFound\",\"code\":404,\"detail\":\"no such path\","
                            + "\"status\":\"Not Found\"}");
                } else {
                    handler.handle(request, exchange);
                }
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void on(String methodAndPath, Handler handler) {
        handlers.put(methodAndPath, handler);
    }

    List<Request> requests() {
        return requests;
    }

    /** The next request to arrive (waiting for it up to 30 s). */
    Request next() throws InterruptedException {
        Request request = arrivals.poll(30, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request came; so far: " + requests);
        }
        return request;
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Opens an event stream, writes {@code events} (exactly as given), and ends it after {@code thenEnd}. */
    static void stream(HttpExchange exchange, String events, boolean thenEnd) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(events.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (thenEnd) {
            return;
        }
        try {
            while (true) {
                Thread.sleep(100);
                out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException gone) {
            // the client left
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

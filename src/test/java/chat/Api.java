package chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A plain HTTP client for the tests: raw JSON in, parsed JSON out, so that the tests see exactly what a client on
 * the wire sees (field names, status codes, headers).
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public Api(URI base) {
        this.base = base;
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    /** What came back: status, headers and the body, parsed as JSON when it is JSON. */
    public record Reply(int status, HttpResponse<String> response, JsonNode json) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return response.body();
        }
    }

    /** POSTs the body as {@code curl -d} does: with the form content type. */
    public Reply post(String path, String body) {
        return post(path, body, "application/x-www-form-urlencoded");
    }

    public Reply post(String path, String body, String contentType) {
        var request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    public Reply postJson(String path, Object body) {
        return post(path, write(body), "application/json");
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response, parse(response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json") || response.body().isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON although declared so: " + response.body(), e);
        }
    }

    public static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** User ids no other test run uses, so tests share a database without seeing each other's chats. */
    public static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }

    public String newChat(String... userIds) {
        var body = object();
        body.putArray("user_ids").addAll(List.of(userIds).stream().map(JSON::valueToTree).map(JsonNode.class::cast).toList());
        Reply reply = post("/chat/New", write(body));
        assertThat("New status: " + reply.body(), reply.status(), is(200));
        return reply.json().get("chat_id").asText();
    }

    public JsonNode send(String chatId, String userId, String clientId, String text) {
        var body = object().put("chat_id", chatId).put("user_id", userId).put("text", text);
        if (clientId != null) {
            body.put("client_id", clientId);
        }
        Reply reply = post("/chat/Send", write(body));
        assertThat("Send status: " + reply.body(), reply.status(), is(200));
        return reply.json().get("message");
    }

    public JsonNode history(ObjectNode request) {
        Reply reply = post("/chat/History", write(request));
        assertThat("History status: " + reply.body(), reply.status(), is(200));
        return reply.json().get("messages");
    }

    /** Asserts a micro error: the status, and a body {@code {id, code, detail, status}} that agrees with it. */
    public static void assertError(Reply reply, int code, String id) {
        assertThat("status of " + reply.body(), reply.status(), is(code));
        assertThat("content type", reply.header("Content-Type"), org.hamcrest.Matchers.startsWith("application/json"));
        JsonNode json = reply.json();
        assertThat("error id in " + reply.body(), json.get("id").asText(), is(id));
        assertThat("error code", json.get("code").asInt(), is(code));
        assertThat("error detail", json.get("detail").asText().isBlank(), is(false));
        assertThat("error status text", json.get("status").isTextual(), is(true));
        assertThat("error fields", json.size(), is(4));
    }
}

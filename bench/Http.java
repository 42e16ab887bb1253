import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request/response calls to the service or a reference server: {@code java.net.http} over HTTP/1.1 with keep-alive
 * (and TCP_NODELAY, which the JDK's client sets), called from virtual threads. Only what the API promises is used:
 * New, Send, History and the readiness check, so the bench measures the service from outside as a client would.
 */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    private static final Pattern CHAT_ID = Pattern.compile("\"chat_id\"\\s*:\\s*\"([^\"]+)\"");

    private Http() {
    }

    record Answer(int status, String body) {
    }

    static Answer post(String base, String path, String json) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> res = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    static Answer get(String base, String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build();
        HttpResponse<String> res = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    /** New with these members; the chat's id. */
    static String newChat(String base, String... users) throws IOException, InterruptedException {
        StringBuilder json = new StringBuilder("{\"user_ids\":[");
        for (int i = 0; i < users.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(users[i]).append('"');
        }
        Answer a = post(base, "/chat/New", json.append("]}").toString());
        Matcher m = CHAT_ID.matcher(a.body());
        if (a.status() != 200 || !m.find()) {
            throw new IOException("New answered " + a.status() + ": " + a.body());
        }
        return m.group(1);
    }

    /** The body of a Send; no client_id when {@code clientId} is null. Texts here never need escaping. */
    static String sendBody(String chat, String user, String clientId, String text) {
        return "{\"chat_id\":\"" + chat + "\",\"user_id\":\"" + user + "\""
                + (clientId == null ? "" : ",\"client_id\":\"" + clientId + "\"")
                + ",\"text\":\"" + text + "\"}";
    }
}

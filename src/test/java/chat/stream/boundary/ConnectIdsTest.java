package chat.stream.boundary;

import chat.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** A user id with control characters (which would forge log lines) is refused before a stream opens. */
@HelidonTest
class ConnectIdsTest {

    @Inject
    WebTarget target;

    Api api;
    HttpClient http = HttpClient.newHttpClient();
    String chatId;

    @BeforeEach
    void chat() {
        api = new Api(target.getUri());
        chatId = api.newChat(user("John"), user("Barry"));
    }

    @Test
    void userIdsWithControlCharactersAre400BeforeTheStreamOpens() throws Exception {
        for (String forged : new String[] {"Barry\r\nINFO forged line", "Barry\n", "tab\tbed", "\u001b[31mred",
                "del\u007f", "nel\u0085", "line\u2028sep"}) {
            for (String path : new String[] {"/chat/Connect", "/chat/Chat/Connect"}) {
                var request = HttpRequest.newBuilder(api.uri(path + "?chat_id=" + chatId + "&user_id="
                                + URLEncoder.encode(forged, StandardCharsets.UTF_8)))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30))
                        .GET().build();
                // read as a stream: a stream that opened (the bug) must fail the test, not hang it
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    assertThat("refused, not streamed: " + forged, response.statusCode(), is(400));
                    JsonNode error = Api.JSON.readTree(body);
                    assertThat("id", error.get("id").asText(), is("chat.Connect.InvalidUserID"));
                    assertThat("code", error.get("code").asInt(), is(400));
                    assertThat("detail", error.get("detail").asText(),
                            is("user_id contains a control character (such as CR, LF or TAB)"));
                }
            }
        }
    }
}

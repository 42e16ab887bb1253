package chat.stream.boundary;

import chat.Api;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static chat.Api.assertError;
import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** A user id with control characters (which would forge log lines) is refused before a stream opens. */
@HelidonTest
class ConnectIdsTest {

    @Inject
    WebTarget target;

    Api api;
    String chatId;

    @BeforeEach
    void chat() {
        api = new Api(target.getUri());
        chatId = api.newChat(user("John"), user("Barry"));
    }

    @Test
    void userIdsWithControlCharactersAre400BeforeTheStreamOpens() {
        for (String forged : new String[] {"Barry\r\nINFO forged line", "Barry\n", "tab\tbed", "\u001b[31mred",
                "del\u007f", "nel\u0085", "line\u2028sep"}) {
            for (String path : new String[] {"/chat/Connect", "/chat/Chat/Connect"}) {
                var request = HttpRequest.newBuilder(api.uri(path + "?chat_id=" + chatId + "&user_id="
                                + URLEncoder.encode(forged, StandardCharsets.UTF_8)))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30))
                        .GET().build();
                var reply = api.send(request);
                assertError(reply, 400, "chat.Connect.InvalidUserID");
                assertThat(reply.json().get("detail").asText(),
                        is("user_id contains a control character (such as CR, LF or TAB)"));
            }
        }
    }
}

package chat.problems;

import chat.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Requests whose headers or framing are broken, as the reliability suite's fuzzer sends them: written byte for
 * byte on a socket (an HTTP client library would refuse to send them), each must get a 400 in micro's format at
 * once, never a 500 and never a wait for a body that will not come.
 */
@HelidonTest
class FramingTest {

    private static final String SEND = "{\"chat_id\":\"c\",\"user_id\":\"u\",\"text\":\"t\"}";

    @Inject
    WebTarget target;

    @Test
    void contentTypeThatDoesNotParseIs400InvalidHeader() throws IOException {
        Raw reply = exchange("POST /chat/Send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=\"\r\n"
                + "Content-Length: " + SEND.length() + "\r\n\r\n" + SEND);
        reply.assertError(400, "chat.Send.InvalidHeader");
    }

    @Test
    void contentLengthGivenTwiceIs400InvalidHeader() throws IOException {
        String body = "{\"user_ids\":[\"a\"]}";
        Raw reply = exchange("POST /chat/New HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nContent-Length: " + (body.length() - 1) + "\r\n\r\n" + body);
        reply.assertError(400, "chat.New.InvalidHeader");
    }

    @Test
    void negativeContentLengthIs400AtOnce() throws IOException {
        Raw reply = exchange("POST /chat/Chat/Send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: -1\r\n\r\n" + SEND);
        reply.assertError(400, "chat.Send.InvalidHeader");
    }

    @Test
    void chunkThatDoesNotParseIs400InvalidBody() throws IOException {
        Raw reply = exchange("POST /chat/History HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{\"chat_id\":\"c\"}\r\n0\r\n\r\n");
        reply.assertError(400, "chat.History.InvalidBody");
    }

    /** An answer as it came off the socket. */
    private record Raw(int status, String contentType, String body) {
        void assertError(int code, String id) throws IOException {
            assertThat("status of " + body, status, is(code));
            assertThat("content type", contentType, startsWith("application/json"));
            JsonNode json = Api.JSON.readTree(body);
            assertThat("error id in " + body, json.get("id").asText(), is(id));
            assertThat("error code", json.get("code").asInt(), is(code));
            assertThat("error fields", json.size(), is(4));
        }
    }

    /** Writes the request as it is and reads one answer, which must come within 5 s. */
    private Raw exchange(String request) throws IOException {
        try (Socket socket = new Socket(target.getUri().getHost(), target.getUri().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String status = line(in);
            String type = "";
            int length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    type = header.substring(13).strip();
                } else if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).strip());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Raw(Integer.parseInt(status.split(" ")[1]), type, body);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 5 s", e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}

package chat.platform;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * What {@link RawSockets} reaches inside the Helidon this service ships with: the socket under a request (to
 * notice a client leaving) and the connection's read buffer (given back once a stream began). A Helidon upgrade
 * that moves them fails here, rather than making streams quietly heavier or slower to release. Served by a bare
 * Helidon server of its own; its route answers what it could reach, and a second request on the same connection,
 * with headers larger than the small buffer, must still be read whole.
 */
class RawSocketsTest {

    private WebServer server;

    @BeforeEach
    void start() {
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> routing.get("/probe", (request, response) -> response.send(
                        "socket=" + RawSockets.of(request).isPresent()
                                + " shrunk=" + RawSockets.shrinkReadBuffer(request)
                                + " header=" + request.headers().first(io.helidon.http.HeaderNames.create("X-Long"))
                                .map(String::length).orElse(0))))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void theSocketAndItsReadBufferAreReachedAndTheConnectionStillReadsLargeRequests() throws Exception {
        String longHeader = "x".repeat(3 * RawSockets.SMALL_READ_BUFFER);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (int i = 0; i < 2; i++) {
                out.write(("GET /probe HTTP/1.1\r\nHost: localhost\r\nX-Long: " + longHeader + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine(), is("HTTP/1.1 200 OK"));
                int length = 0;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    }
                }
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                assertThat("request " + (i + 1), new String(body),
                        is("socket=true shrunk=true header=" + longHeader.length()));
            }
        }
    }
}

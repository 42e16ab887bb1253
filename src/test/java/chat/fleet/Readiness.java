package chat.fleet;

import chat.Api;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/** Reads the {@code fleet} check of an instance's {@code /health/ready}. */
final class Readiness {

    private Readiness() {
    }

    /** The {@code fleet} check, or null when the answer has none. */
    static JsonNode fleetCheck(Api api) {
        Api.Reply reply = api.get("/health/ready");
        for (JsonNode check : reply.json().path("checks")) {
            if (check.path("name").asText().equals("fleet")) {
                return check;
            }
        }
        return null;
    }

    /** Waits (bounded) until {@code /health/ready} answers this status; answers the last status seen. */
    static int awaitStatus(Api api, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen;
        do {
            seen = api.get("/health/ready").status();
            if (seen == status) {
                return seen;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return seen;
    }
}

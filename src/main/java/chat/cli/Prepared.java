package chat.cli;

import chat.cli.sdk.model.HistoryRequest;
import chat.cli.sdk.model.HistoryResponse;
import chat.cli.sdk.model.NewRequest;
import chat.cli.sdk.model.NewResponse;
import chat.cli.sdk.model.SendRequest;
import chat.cli.sdk.model.SendResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * What every call needs and takes most of a command's time to load: Jackson, the HTTP client, the (de)serializers of
 * the generated models. {@link Cli} has {@link #warm()} and {@link Http#open()} load them on threads of their own
 * while the arguments are parsed, so that it all overlaps; a command that needs one of them before it is ready waits
 * for it (the JVM initialises a class once, and makes everyone else wait for that). Nothing here may be touched on
 * the main thread before the arguments are parsed: the first touch initialises the class, there.
 */
final class Prepared {

    /**
     * Reads and writes the generated models: nulls are left out of requests, and fields the spec does not declare
     * yet are ignored when reading (the command prints the answer's own bytes, so they still show). Without the
     * generated client's date modules, which no model of this API needs and which would only lengthen every start.
     */
    static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Prepared() {
    }

    /** Loaded apart from Jackson, so that the two load at the same time. */
    static final class Http {

        /** A constant, so that naming it does not load the client. */
        static final int CONNECT_TIMEOUT_SECONDS = 5;

        /**
         * One client, and one connection pool, for every request of the command. HTTP/1.1: the client's default,
         * HTTP/2, would try an h2c upgrade on every first request.
         */
        static final HttpClient CLIENT = Cli.opened(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS))
                .build());

        private Http() {
        }

        static void open() {
            // loading the class is the work
        }
    }

    /** Jackson and the models' (de)serializers. */
    static void warm() {
        try {
            JSON.writeValueAsBytes(new NewRequest().userIds(List.of("a")));
            JSON.writeValueAsBytes(new SendRequest().chatId("c").userId("u").text("t"));
            JSON.writeValueAsBytes(new HistoryRequest().chatId("c").limit(1));
            JSON.readValue("{\"chat_id\":\"c\"}", NewResponse.class);
            String message = "{\"id\":\"i\",\"client_id\":\"c\",\"chat_id\":\"c\",\"user_id\":\"u\",\"subject\":\"\","
                    + "\"text\":\"t\",\"sent_at\":1,\"seq\":1}";
            JSON.readValue("{\"message\":" + message + "}", SendResponse.class);
            JSON.readValue("{\"messages\":[" + message + "]}", HistoryResponse.class);
        } catch (IOException | RuntimeException | LinkageError e) {
            // Nothing to report from here: a command that needs what failed meets the same failure, and reports it.
        }
    }
}

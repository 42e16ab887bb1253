package chat.cli;

import chat.cli.sdk.api.ChatApi;
import chat.cli.sdk.invoker.ApiClient;
import chat.cli.sdk.invoker.ApiException;
import chat.cli.sdk.invoker.ApiResponse;
import com.fasterxml.jackson.core.JsonProcessingException;

import javax.net.ssl.SSLSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;

/**
 * The service as the command line sees it: the JSON calls go through the client generated from
 * {@code openapi/chat.yaml} (so the spec must describe every call and answer the CLI uses), and each answer's bytes
 * are kept, so that a command prints exactly what the service said. Every request carries the token and the
 * namespace when they are given. Failures come out as {@link ServiceError} (the service answered an error) or
 * {@link Unreachable} (no answer).
 */
public final class Service {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /** One call of the generated API; its answer's bytes are what the command prints. */
    @FunctionalInterface
    public interface Call {
        ApiResponse<?> on(ChatApi api) throws ApiException;
    }

    private final URI url;
    private final String token;
    private final String namespace;
    private final HttpClient http;
    private final ChatApi api;
    private byte[] answer;

    public Service(URI url, String token, String namespace) {
        this.url = url;
        this.token = token;
        this.namespace = namespace;
        this.http = Prepared.Http.CLIENT;
        var client = new ApiClient(HttpClient.newBuilder(), Prepared.JSON, url.toString()) {
            @Override
            public HttpClient getHttpClient() {
                return http; // the one client of the command, not one more per API object
            }
        };
        client.setReadTimeout(ANSWER_TIMEOUT);
        client.setRequestInterceptor(this::authorize);
        client.setResponseInterceptor(this::keepAnswer);
        this.api = new ChatApi(client);
    }

    /** Makes one call and answers the service's bytes (a 2xx answer that the generated client could read). */
    public synchronized byte[] call(Call call) throws ServiceError, Unreachable {
        answer = null;
        try {
            call.on(api);
            return answer;
        } catch (ApiException e) {
            if (e.getCode() != 0) {
                throw new ServiceError(e.getCode(), answer != null ? answer : new byte[0]);
            }
            if (e.getCause() instanceof JsonProcessingException unreadable) {
                throw new IllegalStateException("the service's answer does not match the API: "
                        + unreadable.getOriginalMessage());
            }
            throw unreachable(e.getCause());
        } catch (UncheckedIOException e) {
            throw unreachable(e.getCause());
        }
    }

    /** The client for requests the generated API cannot make (the event stream). */
    public HttpClient http() {
        return http;
    }

    /** A request to {@code path} (with its query) on the service, with the token and namespace headers. */
    public HttpRequest.Builder request(String pathAndQuery) {
        var builder = HttpRequest.newBuilder(URI.create(url + pathAndQuery));
        authorize(builder);
        return builder;
    }

    /**
     * Adds the token and the namespace to every request, the generated calls' too: their {@code micro-namespace}
     * parameter is left null, so that the header is set in one place for them and the hand-written stream alike.
     */
    private void authorize(HttpRequest.Builder request) {
        if (token != null && !token.isEmpty()) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        if (namespace != null && !namespace.isEmpty()) {
            request.setHeader("micro-namespace", namespace);
        }
    }

    private HttpResponse<InputStream> keepAnswer(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            answer = body == null ? new byte[0] : body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Answered(response, answer);
    }

    /** One line saying why no answer came, for the exit status 3 message. */
    public Unreachable unreachable(Throwable cause) {
        return new Unreachable("cannot reach the service at " + url + ": " + reason(cause));
    }

    static String reason(Throwable cause) {
        if (cause instanceof ConnectException && cause.getCause() instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "no connection within " + Prepared.Http.CONNECT_TIMEOUT_SECONDS + " s";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException && cause.getMessage() != null) {
            return "the connection broke (" + cause.getMessage() + ")";
        }
        return cause == null ? "no answer" : cause.toString();
    }

    /** The response with its body already read, so the generated client reads the same bytes again. */
    private record Answered(HttpResponse<InputStream> response, byte[] bytes) implements HttpResponse<InputStream> {
        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return response.previousResponse();
        }

        @Override
        public HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return response.sslSession();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }
    }
}

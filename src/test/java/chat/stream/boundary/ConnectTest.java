package chat.stream.boundary;

import chat.Api;
import chat.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@HelidonTest
class ConnectTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(1500);

    @Inject
    WebTarget target;

    @Inject
    Subscribers subscribers;


    @Inject
    @Named("chat")
    DataSource dataSource;

    Api api;
    URI base;
    String john;
    String barry;
    String chatId;

    @BeforeEach
    void chat() {
        base = target.getUri();
        api = new Api(base);
        john = user("John");
        barry = user("Barry");
        chatId = api.newChat(john, barry);
    }

    private SseClient connect(String user, String extra) throws Exception {
        SseClient client = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + user + extra, Map.of());
        assertThat("stream status: " + client.errorBody(), client.status(), is(200));
        return client;
    }

    private JsonNode post(String user, String clientId, String text) {
        var body = Api.object().put("chat_id", chatId).put("user_id", user).put("client_id", clientId).put("text", text);
        var reply = api.post("/chat/Connect", Api.write(body));
        assertThat("POST Connect: " + reply.body(), reply.status(), is(200));
        return reply.json().get("message");
    }

    private static List<Long> seqs(List<SseClient.Event> events) {
        return events.stream().map(event -> Long.parseLong(event.id())).toList();
    }

    private static Long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toArray(Long[]::new);
    }

    @Test
    void deliversMessagesOfOthersButNotTheSendersOwn() throws Exception {
        try (SseClient stream = connect(barry, "")) {
            post(john, "j1", "Hey Barry");
            post(barry, "b1", "Hi John");
            post(john, "j2", "How are you?");
            List<SseClient.Event> received = stream.messagesUntilQuiet(QUIET);
            assertThat("John's two messages", seqs(received), contains(1L, 3L));
            JsonNode message = Api.JSON.readTree(received.get(0).data());
            assertThat("event name", received.get(0).event(), is("message"));
            assertThat("text", message.get("text").asText(), is("Hey Barry"));
            assertThat("sender", message.get("user_id").asText(), is(john));
            assertThat("client id", message.get("client_id").asText(), is("j1"));
            assertThat("seq in data", message.get("seq").asLong(), is(1L));
            assertThat("all fields", message.size(), is(8));
        }
    }

    @Test
    void echoAddsTheSendersOwnMessages() throws Exception {
        try (SseClient stream = connect(barry, "&echo=true")) {
            post(john, "j1", "Hey Barry");
            post(barry, "b1", "Hi John");
            assertThat(seqs(stream.messagesUntilQuiet(QUIET)), contains(1L, 2L));
        }
    }

    @Test
    void writesTheDocumentedWireFormat() throws Exception {
        try (SseClient stream = connect(barry, "")) {
            JsonNode sent = post(john, "c1", "Hey Barry");
            assertThat(stream.nextMessage(WAIT), notNullValue());
            String raw = stream.raw();
            assertThat("the opening block first", raw, startsWith(": connected\nid: 0\nretry: 3000\n\n"));
            assertThat("the message event", raw, containsString(
                    "\n\nid: 1\nevent: message\ndata: " + Api.write(sent) + "\n\n"));
        }
    }

    @Test
    void headersComeAtOnceWithNoCachingOrBuffering() throws Exception {
        try (SseClient stream = connect(barry, "")) {
            assertThat("content type", stream.header("Content-Type"), startsWith("text/event-stream"));
            assertThat("cache control", stream.header("Cache-Control"), is("no-cache"));
            assertThat("proxy buffering", stream.header("X-Accel-Buffering"), is("no"));
            SseClient.Event first = stream.next(WAIT);
            assertThat("a first block before any message", first, notNullValue());
            assertThat("the retry hint", first.retry(), is("3000"));
            assertThat("the seq the stream starts after", first.id(), is("0"));
            assertThat("dispatches nothing", first.isMessage(), is(false));
        }
    }

    @Test
    void bothPathsAndMicroMetadataHeadersWork() throws Exception {
        try (SseClient alias = SseClient.open(base, "/chat/Chat/Connect?chat_id=" + chatId + "&user_id=" + barry, Map.of());
             SseClient metadata = SseClient.open(base, "/chat/Chat/Connect",
                     Map.of("chat-id", chatId, "user-id", barry))) {
            assertThat(alias.status(), is(200));
            assertThat(metadata.status(), is(200));
            var reply = api.post("/chat/Chat/Connect", Api.write(Api.object()
                    .put("chat_id", chatId).put("user_id", john).put("text", "both")));
            assertThat("POST alias", reply.status(), is(200));
            assertThat(seqs(alias.messagesUntilQuiet(QUIET)), contains(1L));
            assertThat(seqs(metadata.messagesUntilQuiet(QUIET)), contains(1L));
        }
    }

    @Test
    void refusesBadRequestsBeforeTheStreamOpens() throws Exception {
        assertRefused("/chat/Connect?user_id=" + barry, 400, "chat.Connect.MissingChatID");
        assertRefused("/chat/Connect?chat_id=" + chatId, 400, "chat.Connect.MissingUserID");
        assertRefused("/chat/Chat/Connect?chat_id=" + UUID.randomUUID() + "&user_id=x", 404, "chat.Connect.InvalidChatID");
        assertRefused("/chat/Connect?chat_id=" + chatId + "&user_id=x&last_event_id=abc", 400,
                "chat.Connect.InvalidLastEventID");
        assertRefused("/chat/Connect?chat_id=" + chatId + "&user_id=x&last_event_id=1", 400,
                "chat.Connect.InvalidLastEventID");
        try (SseClient header = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=x",
                Map.of("Last-Event-ID", "-3"))) {
            assertThat(header.status(), is(400));
        }
    }

    private void assertRefused(String path, int status, String id) throws Exception {
        try (SseClient refused = SseClient.open(base, path, Map.of())) {
            assertThat("status for " + path, refused.status(), is(status));
            assertThat("json", refused.header("Content-Type"), startsWith("application/json"));
            JsonNode error = Api.JSON.readTree(refused.errorBody());
            assertThat("id", error.get("id").asText(), is(id));
            assertThat("code", error.get("code").asInt(), is(status));
        }
    }

    @Test
    void postOnConnectValidatesLikeSend() {
        Api.assertError(api.post("/chat/Connect", "{\"chat_id\":\"" + chatId + "\",\"user_id\":\"x\"}"), 400,
                "chat.Connect.MissingText");
        Api.assertError(api.post("/chat/Connect", "{\"chat_id\":\"" + UUID.randomUUID()
                + "\",\"user_id\":\"x\",\"text\":\"t\"}"), 404, "chat.Connect.InvalidChatID");
        JsonNode first = post(john, "same", "once");
        assertThat("retry-safe", post(john, "same", "once"), is(first));
    }

    @Test
    void replaysEverythingAfterLastEventIdThenContinuesLive() throws Exception {
        for (int i = 1; i <= 5; i++) {
            post(john, "m" + i, "message " + i);
        }
        try (SseClient stream = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + barry,
                Map.of("Last-Event-ID", "2"))) {
            assertThat(seqs(stream.messagesUntilQuiet(QUIET)), contains(3L, 4L, 5L));
            post(john, "m6", "live");
            assertThat(seqs(stream.messagesUntilQuiet(QUIET)), contains(6L));
        }
        try (SseClient query = connect(barry, "&last_event_id=4")) {
            assertThat(seqs(query.messagesUntilQuiet(QUIET)), contains(5L, 6L));
        }
        try (SseClient headerWins = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + barry
                + "&last_event_id=1", Map.of("Last-Event-ID", "5"))) {
            assertThat(seqs(headerWins.messagesUntilQuiet(QUIET)), contains(6L));
        }
        try (SseClient fromStart = connect(barry, "&last_event_id=0")) {
            assertThat(seqs(fromStart.messagesUntilQuiet(QUIET)), contains(range(1, 6)));
        }
    }

    @Test
    void liveDeliveryKeepsSeqOrderUnderConcurrentSends() throws Exception {
        try (SseClient stream = connect(user("Listener"), "")) {
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                senders.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        post(thread % 2 == 0 ? john : barry, "t" + thread + "-" + i, "racing");
                    }
                });
            }
            senders.shutdown();
            assertThat("senders done", senders.awaitTermination(60, TimeUnit.SECONDS), is(true));
            assertThat("exactly 1..200, in order", seqs(stream.messagesUntilQuiet(QUIET)), contains(range(1, 200)));
        }
    }

    @Test
    void resumingWhileOthersSendNeverLosesOrRepeats() throws Exception {
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = Thread.ofVirtual().start(() -> {
            for (int i = 0; sending.get(); i++) {
                post(john, "r" + i, "message " + i);
            }
        });
        List<Long> seen = new ArrayList<>();
        try {
            for (int cycle = 0; cycle < 25; cycle++) {
                String cursor = seen.isEmpty() ? "0" : Long.toString(seen.get(seen.size() - 1));
                try (SseClient stream = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + barry,
                        Map.of("Last-Event-ID", cursor))) {
                    assertThat(stream.status(), is(200));
                    for (int read = 0; read < 3 + cycle % 4; read++) {
                        SseClient.Event event = stream.nextMessage(WAIT);
                        assertThat("an event in cycle " + cycle, event, notNullValue());
                        seen.add(Long.parseLong(event.id()));
                    }
                }
            }
        } finally {
            sending.set(false);
            sender.join(Duration.ofSeconds(30));
        }
        long last = api.history(Api.object().put("chat_id", chatId).put("limit", 1)).get(0).get("seq").asLong();
        try (SseClient rest = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + barry,
                Map.of("Last-Event-ID", Long.toString(seen.get(seen.size() - 1))))) {
            rest.messagesUntilQuiet(QUIET).forEach(event -> seen.add(Long.parseLong(event.id())));
        }
        assertThat("every message exactly once, in order", seen, contains(range(1, last)));
    }

    @Test
    void aSendWhoseTransactionFailsIsNeverStreamed() throws Exception {
        try (SseClient stream = connect(barry, "")) {
            // a row with the chat's next seq, written behind the service's back: the next Send's insert fails
            try (Connection connection = dataSource.getConnection();
                 var plant = connection.prepareStatement("INSERT INTO messages (id, chat_id, seq, client_id, user_id,"
                         + " subject, text, sent_at) VALUES (?, ?, 1, 'planted', 'someone', '', 'planted', CURRENT_TIMESTAMP)")) {
                plant.setObject(1, UUID.randomUUID());
                plant.setObject(2, UUID.fromString(chatId));
                plant.executeUpdate();
            }
            var body = Api.object().put("chat_id", chatId).put("user_id", john).put("client_id", "doomed")
                    .put("text", "rolled back");
            Api.assertError(api.post("/chat/Send", Api.write(body)), 500, "chat.Internal");
            try (Connection connection = dataSource.getConnection();
                 var repair = connection.prepareStatement("UPDATE chats SET last_seq = 1 WHERE id = ?")) {
                repair.setObject(1, UUID.fromString(chatId));
                repair.executeUpdate();
            }
            JsonNode kept = post(john, "kept", "committed");
            assertThat("the sequence goes on after the planted row", kept.get("seq").asLong(), is(2L));
            List<String> texts = new ArrayList<>();
            for (SseClient.Event event : stream.messagesUntilQuiet(QUIET)) {
                texts.add(Api.JSON.readTree(event.data()).get("text").asText());
            }
            assertThat("what is stored, never the failed Send", texts, contains("planted", "committed"));
        }
    }

    @Test
    void heartbeatIsSentWhenIdle() throws Exception {
        try (SseClient stream = connect(barry, "")) {
            stream.next(WAIT);
            SseClient.Event heartbeat = stream.next(WAIT);
            assertThat("a block while idle", heartbeat, notNullValue());
            assertThat("a comment", heartbeat.comments(), contains("heartbeat"));
            assertThat("no message", heartbeat.data(), nullValue());
        }
    }

    private int streams(String user) {
        return subscribers.streams(UUID.fromString(chatId), user);
    }

    private void awaitStreams(String user, int count) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (streams(user) != count && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
    }

    private void awaitThreads(int count) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (subscribers.threads() > count && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
    }

    @Test
    void closedClientsAreRemoved() throws Exception {
        String reader = user("Reader");
        List<SseClient> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.add(connect(reader, ""));
        }
        assertThat("registered", streams(reader), is(3));
        for (SseClient stream : streams) {
            stream.close();
        }
        awaitStreams(reader, 0);
        assertThat("all removed", streams(reader), is(0));
    }

    @Test
    void sendingToAStreamWhoseClientVanishedHarmsNobody() throws Exception {
        String goneUser = user("Gone");
        SseClient gone = connect(goneUser, "");
        try (SseClient stays = connect(barry, "")) {
            gone.close();
            for (int i = 1; i <= 5; i++) {
                post(john, "v" + i, "after the close");
            }
            assertThat("the other stream gets everything", seqs(stays.messagesUntilQuiet(QUIET)), contains(range(1, 5)));
            awaitStreams(goneUser, 0);
            assertThat("the vanished stream is gone", streams(goneUser), is(0));
            assertThat("the other stays", streams(barry), is(1));
        }
    }

    /** Reads what the server still sends until the connection ends; false if it is still open after 10 s. */
    private static boolean serverClosed(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        byte[] buffer = new byte[64 * 1024];
        try {
            while (socket.getInputStream().read(buffer) != -1) {
                // drain what was sent before the cut
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void aStalledClientIsCutWhenItsBufferOverflowsAndNobodyElseWaits() throws Exception {
        String big = "x".repeat(8 * 1024);
        String stalledUser = user("Stalled");
        try (SseClient reader = connect(barry, "")) {
            assertThat("a block arrived", reader.next(WAIT), notNullValue());
            int threads = subscribers.threads();
            try (Socket stalled = SseClient.stalled(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + stalledUser)) {
                awaitStreams(stalledUser, 1);
                assertThat("registered", streams(stalledUser), is(1));
                ExecutorService senders = Executors.newFixedThreadPool(8);
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    senders.submit(() -> {
                        for (int i = 0; i < 75; i++) {
                            post(john, "s" + thread + "-" + i, big);
                        }
                    });
                }
                senders.shutdown();
                assertThat("every send completed", senders.awaitTermination(120, TimeUnit.SECONDS), is(true));
                assertThat("the reader got all 600", reader.messagesUntilQuiet(QUIET).size(), is(600));
                assertThat("the stalled stream overflowed and was dropped", streams(stalledUser), is(0));
                assertThat("the server closed the connection itself", serverClosed(stalled), is(true));
                awaitThreads(threads);
                assertThat("the stalled stream's threads ended", subscribers.threads(),
                        org.hamcrest.Matchers.lessThanOrEqualTo(threads));
            }
        }
    }

    @Test
    void aWriteThatMakesNoProgressCutsTheConnection() throws Exception {
        String big = "y".repeat(60 * 1024);
        String stalledUser = user("Stalled");
        try (Socket stalled = SseClient.stalled(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + stalledUser)) {
            awaitStreams(stalledUser, 1);
            // fewer messages than the stream's buffer holds (256 in tests), but more than the sockets can take
            // (the kernel lets a send buffer grow to 4 MiB): a write blocks
            for (int i = 0; i < 120; i++) {
                post(john, "w" + i, big);
            }
            awaitStreams(stalledUser, 0);
            assertThat("dropped by the write timeout (1 s in tests), its buffer never full", streams(stalledUser), is(0));
            assertThat("the server closed the connection itself", serverClosed(stalled), is(true));
        }
    }

    @Test
    void aStreamOpenedWithoutACursorResumesExactlyAfterAnEarlyDrop() throws Exception {
        post(john, "before", "sent before the stream opened");
        String cursor;
        try (SseClient first = connect(barry, "")) {
            SseClient.Event opening = first.next(WAIT);
            assertThat("the opening block", opening, notNullValue());
            assertThat("it carries the seq the stream starts after", opening.id(), is("1"));
            cursor = opening.id();
        }
        post(john, "a", "sent while disconnected");
        post(john, "b", "also sent while disconnected");
        // what EventSource does on its reconnect: Last-Event-ID is the last id it was given
        try (SseClient again = SseClient.open(base, "/chat/Connect?chat_id=" + chatId + "&user_id=" + barry,
                Map.of("Last-Event-ID", cursor))) {
            assertThat("both arrive", seqs(again.messagesUntilQuiet(QUIET)), contains(2L, 3L));
        }
    }

    @Test
    void heartbeatsGoOutWhileTheOnlyTrafficIsTheListenersOwnMessages() throws Exception {
        try (SseClient stream = connect(barry, "")) {
            assertThat("the opening block", stream.next(WAIT), notNullValue());
            Instant until = Instant.now().plusMillis(1500);
            for (int i = 0; Instant.now().isBefore(until); i++) {
                post(barry, "own" + i, "talking to myself");
                Thread.sleep(100);
            }
            int heartbeats = 0;
            for (SseClient.Event event = stream.next(Duration.ZERO); event != null; event = stream.next(Duration.ZERO)) {
                assertThat("no own message", event.isMessage(), is(false));
                if (event.comments().contains("heartbeat")) {
                    heartbeats++;
                }
            }
            assertThat("a heartbeat every 300 ms of writing nothing", heartbeats,
                    org.hamcrest.Matchers.greaterThanOrEqualTo(3));
        }
    }

    @Test
    void manyStreamsOfOneChatAllReceive() throws Exception {
        List<SseClient> streams = new ArrayList<>();
        try {
            String many = user("Many");
            for (int i = 0; i < 50; i++) {
                streams.add(connect(many, ""));
            }
            post(john, "fan", "to everyone");
            for (SseClient stream : streams) {
                SseClient.Event event = stream.nextMessage(WAIT);
                assertThat("delivered", event, notNullValue());
                assertThat(event.id(), is("1"));
            }
            assertThat("open", streams(many), is(50));
        } finally {
            for (SseClient stream : streams) {
                stream.close();
            }
        }
    }
}

package chat.cli;

import chat.Api;
import chat.ServiceProcess;
import chat.cli.ChatProcess.Result;
import chat.identity.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The JSON commands ({@code new}, {@code send}, {@code history}) through the built launcher, each a process of its
 * own, against the service started as a user starts it ({@code target/chat serve}) on the database of this run:
 * what they print, byte for byte once ids and times are replaced (see {@link Normalized}), and the exit status of
 * an error the service answers.
 */
class CliIT {

    private static ServiceProcess service;
    private static URI url;

    private Normalized normalized;
    private String john;
    private String barry;

    @BeforeAll
    static void startService() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-");
        int port = ServiceProcess.freePort();
        service = ServiceProcess.launch(dataDir, port, Map.of(), "serve");
        url = URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        service.stop();
    }

    @BeforeEach
    void users() {
        normalized = new Normalized(Instant.now());
        john = user("John");
        barry = user("Barry");
    }

    /** A user id unique to this test, without a UUID in it (those are replaced in the compared output). */
    static String user(String name) {
        return name + "-" + Long.toString(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE, 36);
    }

    private static Result chat(String... args) {
        return ChatProcess.run(url, args);
    }

    private static void assertDone(Result result) {
        assertThat("exit status; stderr: " + result.err(), result.status(), is(0));
        assertThat("stderr", result.err(), is(""));
    }

    private String newChat() {
        Result result = chat("new", "--user_ids=" + john + "," + barry);
        assertDone(result);
        return result.out().replaceAll("(?s).*\"chat_id\": \"([^\"]+)\".*", "$1");
    }

    @Test
    void newPrintsTheChatIdAsTheOriginalCliDid() {
        Result result = chat("new", "--user_ids=" + john + "," + barry);

        assertDone(result);
        assertThat(normalized.of(result.out()), is("{\n\t\"chat_id\": \"<id-1>\"\n}\n"));
    }

    @Test
    void userIdsMayBeCommaSeparatedOrRepeatedInAnyOrder() {
        String chatId = newChat();

        assertThat("repeated, = form", chat("new", "--user_ids=" + barry, "--user_ids=" + john).out(),
                is("{\n\t\"chat_id\": \"" + chatId + "\"\n}\n"));
        assertThat("repeated, separate values", chat("new", "--user_ids", john, "--user_ids", barry).out(),
                is("{\n\t\"chat_id\": \"" + chatId + "\"\n}\n"));
        assertThat("other users", chat("new", "--user_ids=" + john).out().contains(chatId), is(false));
    }

    @Test
    void sendPrintsTheStoredMessage() {
        String chatId = newChat();
        normalized.id(chatId);

        Result result = chat("send", "--chat_id", chatId, "--user_id", john, "--subject", "Hello",
                "--text", "Hey Barry", "--client_id", "c-1");

        assertDone(result);
        assertThat(normalized.of(result.out()), is("""
                {
                \t"message": {
                \t\t"id": "<id-2>",
                \t\t"client_id": "c-1",
                \t\t"chat_id": "<id-1>",
                \t\t"user_id": "%s",
                \t\t"subject": "Hello",
                \t\t"text": "Hey Barry",
                \t\t"sent_at": <time>,
                \t\t"seq": 1
                \t}
                }
                """.formatted(john)));
    }

    @Test
    void sendWithoutClientIdGetsOneFromTheServiceAndRetriesWithOneAnswerTheSameMessage() {
        String chatId = newChat();
        normalized.id(chatId);

        Result first = chat("send", "--chat_id=" + chatId, "--user_id=" + barry, "--text=Hi John");
        Result retry = chat("send", "--chat_id=" + chatId, "--user_id=" + barry, "--client_id=b-1", "--text=Hi again");
        Result again = chat("send", "--chat_id=" + chatId, "--user_id=" + barry, "--client_id=b-1", "--text=Hi again");

        assertDone(first);
        assertThat(normalized.of(first.out()), is("""
                {
                \t"message": {
                \t\t"id": "<id-2>",
                \t\t"client_id": "<id-3>",
                \t\t"chat_id": "<id-1>",
                \t\t"user_id": "%s",
                \t\t"subject": "",
                \t\t"text": "Hi John",
                \t\t"sent_at": <time>,
                \t\t"seq": 1
                \t}
                }
                """.formatted(barry)));
        assertDone(retry);
        assertThat("the repeat answers the same message", again.out(), is(retry.out()));
        assertThat(normalized.of(retry.out()).contains("\"seq\": 2"), is(true));
    }

    @Test
    void historyPrintsOldestFirstAndPagesWithLimitBeforeAndAfter() {
        String chatId = newChat();
        normalized.id(chatId);
        assertThat("an empty chat", chat("history", "--chat_id=" + chatId).out(), is("{\n\t\"messages\": []\n}\n"));
        for (String text : new String[] {"one", "two", "three"}) {
            assertDone(chat("send", "--chat_id=" + chatId, "--user_id=" + john, "--client_id=" + text,
                    "--text=" + text));
        }

        Result all = chat("history", "--chat_id=" + chatId);
        Result back = chat("history", "--chat_id=" + chatId, "--limit=1", "--before=3");
        Result after = chat("history", "--chat_id", chatId, "--after", "2");

        assertDone(all);
        String message = """
                \t\t{
                \t\t\t"id": "<id-%d>",
                \t\t\t"client_id": "%s",
                \t\t\t"chat_id": "<id-1>",
                \t\t\t"user_id": "%s",
                \t\t\t"subject": "",
                \t\t\t"text": "%s",
                \t\t\t"sent_at": <time>,
                \t\t\t"seq": %d
                \t\t}""";
        assertThat(normalized.of(all.out()), is("{\n\t\"messages\": [\n"
                + message.formatted(2, "one", john, "one", 1) + ",\n"
                + message.formatted(3, "two", john, "two", 2) + ",\n"
                + message.formatted(4, "three", john, "three", 3) + "\n\t]\n}\n"));
        assertThat("before 3, one message", normalized.of(back.out()),
                is("{\n\t\"messages\": [\n" + message.formatted(3, "two", john, "two", 2) + "\n\t]\n}\n"));
        assertThat("after 2", normalized.of(after.out()),
                is("{\n\t\"messages\": [\n" + message.formatted(4, "three", john, "three", 3) + "\n\t]\n}\n"));
    }

    @Test
    void whatItPrintsIsTheServicesAnswerWithOnlyTheLayoutChanged() {
        String chatId = newChat();
        String text = "quotes \" backslash \\ unicode Grüße 😀 tab\t braces {[,:]}";
        assertDone(chat("send", "--chat_id=" + chatId, "--user_id=" + john, "--subject=Hello", "--text=" + text));

        Result printed = chat("history", "--chat_id=" + chatId);
        Api.Reply answered = service.api().post("/chat/History", "{\"chat_id\":\"" + chatId + "\"}");

        assertDone(printed);
        assertThat("the answer's bytes, once the layout's whitespace is taken out", compact(printed.out()),
                is(answered.body()));
        assertThat("non-ASCII text as typed", printed.out(), containsString("unicode Grüße "));
    }

    /** The printed JSON without the whitespace the layout added (outside strings). */
    private static String compact(String json) {
        var out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void anErrorTheServiceAnswersExitsOneWithMicrosErrorOnStderr() {
        String chatId = newChat();

        Result unknownChat = chat("history", "--chat_id=" + UUID.randomUUID());
        Result emptyText = chat("send", "--chat_id=" + chatId, "--user_id=" + john, "--text=");

        assertThat("exit status", unknownChat.status(), is(1));
        assertThat("stdout", unknownChat.out(), is(""));
        assertThat(unknownChat.err(), is("""
                {
                \t"id": "chat.History.InvalidChatID",
                \t"code": 404,
                \t"detail": "chat not found with this id",
                \t"status": "Not Found"
                }
                """));
        assertThat("exit status", emptyText.status(), is(1));
        assertThat("stdout", emptyText.out(), is(""));
        assertThat(emptyText.err(), is("""
                {
                \t"id": "chat.Send.MissingText",
                \t"code": 400,
                \t"detail": "text is required",
                \t"status": "Bad Request"
                }
                """));
    }

    @Test
    void withAKeyConfiguredTheTokenIsSentAsBearerAndWithoutOneTheAnswerIs401() throws Exception {
        TestTokens keys = TestTokens.rsa();
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-auth-");
        Path key = Files.writeString(dataDir.resolve("public.pem"), keys.publicKeyPem());
        int port = ServiceProcess.freePort();
        ServiceProcess keyed = ServiceProcess.launch(dataDir, port,
                Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", key.toAbsolutePath().toString()), "serve");
        try {
            URI keyedUrl = URI.create("http://127.0.0.1:" + port);
            String johns = keys.token(john);

            Result created = ChatProcess.run(keyedUrl, Map.of(), "", "--token=" + johns, "new",
                    "--user_ids=" + john + "," + barry);
            assertDone(created);
            String chatId = created.out().replaceAll("(?s).*\"chat_id\": \"([^\"]+)\".*", "$1");
            Result sent = ChatProcess.run(keyedUrl, Map.of("CHAT_TOKEN", keys.token(barry)), "", "send",
                    "--chat_id=" + chatId, "--user_id=" + barry, "--text=Hi John");
            Result read = ChatProcess.run(keyedUrl, Map.of(), "", "history", "--chat_id=" + chatId, "--token", johns);
            Result otherNamespace = ChatProcess.run(keyedUrl, Map.of("CHAT_TOKEN", johns), "", "--namespace=acme",
                    "history", "--chat_id=" + chatId);
            Result refused = ChatProcess.run(keyedUrl, "history", "--chat_id=" + chatId);

            assertDone(sent);
            assertThat("sent as the token's user", sent.out(), containsString("\"user_id\": \"" + barry + "\""));
            assertDone(read);
            assertThat("read with the token", read.out(), containsString("\"text\": \"Hi John\""));
            assertThat("a namespace other than the token's: exit status", otherNamespace.status(), is(1));
            assertThat(otherNamespace.err(), containsString("\"id\": \"chat.History.Forbidden\""));
            assertThat("no token: exit status", refused.status(), is(1));
            assertThat("stdout", refused.out(), is(""));
            assertThat(refused.err(), is("""
                    {
                    \t"id": "chat.Unauthorized",
                    \t"code": 401,
                    \t"detail": "a token is required: Authorization: Bearer <token>, or the chat_session cookie",
                    \t"status": "Unauthorized"
                    }
                    """));
        } finally {
            keyed.stop();
        }
    }

    @Test
    void theServiceCanBeNamedWithUrlInsteadOfTheEnvironment() {
        Result result = ChatProcess.run(null, Map.of(), "", "--url=" + url + "/", "new", "--user_ids=" + john);

        assertDone(result);
        assertThat(normalized.of(result.out()), is("{\n\t\"chat_id\": \"<id-1>\"\n}\n"));
    }

    @Test
    void noCommandIsAUsageErrorOnceAnOptionIsGiven() {
        Result result = chat("--url=" + url);

        assertThat("exit status", result.status(), is(2));
        assertThat(result.err().startsWith("chat: Missing command\n\nUsage: chat "), is(true));
    }
}

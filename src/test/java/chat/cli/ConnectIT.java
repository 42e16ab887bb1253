package chat.cli;

import chat.Api;
import chat.ServiceProcess;
import chat.cli.ChatProcess.Result;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static chat.cli.CliIT.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code chat connect}, the terminal chat, through the built launcher against the service started by it, on the
 * database of this run: two users in two processes chatting through pipes, the JSON form, a start after a given seq,
 * and, last, the service restarting under them with nothing lost or repeated. (A plain connect, without
 * {@code --last_event_id}, is seen on the wire in {@link CliWireIT}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private static Path dataDir;
    private static int port;
    private static ServiceProcess service;
    private static URI url;

    private String john;
    private String barry;
    private String chatId;

    @BeforeAll
    static void startService() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "connect-");
        port = ServiceProcess.freePort();
        service = ServiceProcess.launch(dataDir, port, Map.of());
        url = URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        if (service != null) {
            service.stop();
        }
    }

    @BeforeEach
    void chat() {
        john = user("John");
        barry = user("Barry");
        chatId = service.api().newChat(john, barry);
    }

    /**
     * {@code chat connect} for {@code user}, from the chat's newest message on ({@code --last_event_id}): what a plain
     * connect does, except that it cannot miss a message sent before its connection is open, so the test need not
     * guess when that is.
     */
    private ChatProcess connect(String user, String... more) {
        List<JsonNode> messages = history();
        long last = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).get("seq").asLong();
        List<String> args = new ArrayList<>(List.of("connect", "--chat_id=" + chatId, "--user_id=" + user,
                "--last_event_id=" + last));
        args.addAll(List.of(more));
        return ChatProcess.start(url, args.toArray(String[]::new));
    }

    /** The chat's messages as stored: what each user should have seen of the others' lines. */
    private List<JsonNode> history() {
        List<JsonNode> messages = new ArrayList<>();
        service.api().post("/chat/History", "{\"chat_id\":\"" + chatId + "\",\"limit\":1000}").json()
                .get("messages").forEach(messages::add);
        return messages;
    }

    /** The lines {@code user} should have printed: every stored message of someone else, in order. */
    private List<String> linesFor(String user) {
        return history().stream().filter(m -> !m.get("user_id").asText().equals(user))
                .map(m -> TIME.format(Instant.ofEpochSecond(m.get("sent_at").asLong()).atZone(ZoneId.systemDefault()))
                        + " " + m.get("user_id").asText() + ": " + m.get("text").asText())
                .toList();
    }

    private static List<String> texts(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("user_id").asText() + ": " + m.get("text").asText()).toList();
    }

    @Test
    @Order(1)
    void twoUsersChatThroughPipes() {
        try (ChatProcess barrysTerminal = connect(barry); ChatProcess johnsTerminal = connect(john)) {
            johnsTerminal.type("Hey Barry\n");
            barrysTerminal.awaitOut(lines -> lines.size() == 1, WAIT);
            barrysTerminal.type("Hi John, Grüße\n");
            johnsTerminal.awaitOut(lines -> lines.size() == 1, WAIT);
            johnsTerminal.type("How are you?\n");
            barrysTerminal.awaitOut(lines -> lines.size() == 2, WAIT);
            johnsTerminal.endInput();
            barrysTerminal.endInput();

            assertThat("John's exit status", johnsTerminal.waitFor(WAIT), is(0));
            assertThat("Barry's exit status", barrysTerminal.waitFor(WAIT), is(0));
            assertThat("stored once each, in order", texts(history()),
                    contains(john + ": Hey Barry", barry + ": Hi John, Grüße", john + ": How are you?"));
            assertThat("Barry saw John's lines", barrysTerminal.outSoFar(),
                    is(String.join("\n", linesFor(barry)) + "\n"));
            assertThat("John saw Barry's line", johnsTerminal.outSoFar(), is(String.join("\n", linesFor(john)) + "\n"));
        }
    }

    @Test
    @Order(2)
    void echoedIntoAPipeItSendsAndExits() throws Exception {
        String command = "printf 'one\\ntwo\\n' | '" + ServiceProcess.launcher() + "' connect --chat_id=" + chatId
                + " --user_id=" + john + "; echo \"exit status $?\"";
        var builder = ChatProcess.builder(url, Map.of(), List.of());
        builder.command("bash", "-c", command);
        Process bash = builder.redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS), is(true));

        assertThat(output, containsString("exit status 0\n"));
        assertThat("each line stored once, in order", texts(history()), contains(john + ": one", john + ": two"));
    }

    @Test
    @Order(3)
    void jsonPrintsEachMessageAsTheServiceSentIt() {
        try (ChatProcess barrysTerminal = connect(barry, "--json")) {
            Api api = service.api();
            api.send(chatId, john, "j-1", "one");
            api.send(chatId, john, "j-2", "two");
            List<String> lines = barrysTerminal.awaitOut(out -> out.size() == 2, WAIT);
            barrysTerminal.endInput();
            assertThat("exit status", barrysTerminal.waitFor(WAIT), is(0));

            assertThat(lines, contains(history().stream().map(JsonNode::toString).toArray(String[]::new)));
        }
    }

    @Test
    @Order(4)
    void lastEventIdStartsAfterThatSeq() {
        Api api = service.api();
        for (String text : List.of("one", "two", "three")) {
            api.send(chatId, john, text, text);
        }

        try (ChatProcess barrysTerminal = ChatProcess.start(url, "connect", "--chat_id=" + chatId,
                "--user_id=" + barry, "--last_event_id=1")) {
            List<String> lines = barrysTerminal.awaitOut(out -> out.size() == 2, WAIT);
            barrysTerminal.endInput();
            assertThat("exit status", barrysTerminal.waitFor(WAIT), is(0));

            assertThat(lines, is(linesFor(barry).subList(1, 3)));
        }
    }

    @Test
    @Order(5)
    void anUnknownChatExitsOneWithMicrosError() {
        Result result = ChatProcess.run(url, "connect", "--chat_id=no-such-chat", "--user_id=" + john);

        assertThat("exit status", result.status(), is(1));
        assertThat(result.err(), containsString("\t\"id\": \"chat.Connect.InvalidChatID\",\n\t\"code\": 404,\n"));
        assertThat("stdout", result.out(), is(""));
    }

    @Test
    @Order(6)
    void bothTerminalsGoOnThroughARestartWithNothingLostOrRepeated() throws Exception {
        try (ChatProcess barrysTerminal = connect(barry); ChatProcess johnsTerminal = connect(john)) {
            johnsTerminal.type("before the restart\n");
            barrysTerminal.awaitOut(lines -> lines.size() == 1, WAIT);

            service.stop();
            barrysTerminal.awaitErr(lines -> lines.stream().anyMatch(l -> l.startsWith("chat: connection lost")),
                    WAIT);
            johnsTerminal.type("while it is down\n");
            johnsTerminal.awaitErr(lines -> lines.stream().anyMatch(l -> l.startsWith(
                    "chat: could not send \"while it is down\" yet")), WAIT);
            service = ServiceProcess.launch(dataDir, port, Map.of());

            barrysTerminal.awaitOut(lines -> lines.size() == 2, WAIT);
            johnsTerminal.type("after it\n");
            barrysTerminal.awaitOut(lines -> lines.size() == 3, WAIT);
            barrysTerminal.type("all here\n");
            johnsTerminal.awaitOut(lines -> lines.size() == 1, WAIT);
            johnsTerminal.endInput();
            barrysTerminal.endInput();
            assertThat("John's exit status", johnsTerminal.waitFor(WAIT), is(0));
            assertThat("Barry's exit status", barrysTerminal.waitFor(WAIT), is(0));

            assertThat("stored once each, in order", texts(history()), contains(john + ": before the restart",
                    john + ": while it is down", john + ": after it", barry + ": all here"));
            assertThat("Barry saw each of John's lines once", barrysTerminal.outSoFar(),
                    is(String.join("\n", linesFor(barry)) + "\n"));
            assertThat("John saw Barry's", johnsTerminal.outSoFar(), is(String.join("\n", linesFor(john)) + "\n"));
            assertThat("Barry was told", barrysTerminal.errSoFar(), containsString(
                    "; resuming after seq 1 in 3000 ms\n"));
            assertThat(barrysTerminal.errSoFar(), containsString("chat: reconnected, resuming after seq 1\n"));
            assertThat(johnsTerminal.errSoFar(), containsString("chat: sent \"while it is down\"\n"));
        }
    }
}

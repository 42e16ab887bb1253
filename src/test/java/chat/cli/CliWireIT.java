package chat.cli;

import chat.ServiceProcess;
import chat.cli.ChatProcess.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line on the wire, against a stub of the service ({@link StubService}): the headers and bodies it
 * sends, answers a later service might give, failures on cue, and what needs no service at all (usage errors, help,
 * an unreachable address). Through the built launcher, each command a process of its own; no database is involved,
 * so it runs once, not on both databases.
 */
class CliWireIT {

    private static final String MESSAGE = "{\"id\":\"m-6\",\"client_id\":\"c-6\",\"chat_id\":\"chat-1\","
            + "\"user_id\":\"John\",\"subject\":\"\",\"text\":\"back again\",\"sent_at\":1795523696,\"seq\":6}";

    private StubService stub;

    @BeforeEach
    void startStub() throws IOException {
        stub = new StubService();
        stub.on("POST /chat/New", (request, exchange) -> StubService.answer(exchange, 200, "{\"chat_id\":\"chat-1\"}"));
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void tokenAndNamespaceFromTheEnvironmentAreSentAsHeaders() throws InterruptedException {
        Result result = ChatProcess.run(stub.url(), Map.of("CHAT_TOKEN", "t-env", "MICRO_NAMESPACE", "ns-env"), "",
                "new", "--user_ids=John,Barry");

        assertThat("exit status; stderr: " + result.err(), result.status(), is(0));
        StubService.Request request = stub.next();
        assertThat(request.path(), is("/chat/New"));
        assertThat(request.body(), is("{\"user_ids\":[\"John\",\"Barry\"]}"));
        assertThat(request.header("Authorization"), is("Bearer t-env"));
        assertThat(request.header("micro-namespace"), is("ns-env"));
    }

    @Test
    void globalOptionsBeforeOrAfterTheCommandWinOverTheEnvironment() throws InterruptedException {
        var env = Map.of("CHAT_TOKEN", "t-env", "MICRO_NAMESPACE", "ns-env", "CHAT_URL", "http://127.0.0.1:1");

        Result before = ChatProcess.run(null, env, "", "--url=" + stub.url(), "--token=t-1", "--namespace", "ns-1",
                "new", "--user_ids=John");
        Result after = ChatProcess.run(null, env, "", "new", "--user_ids=John", "--token", "t-2",
                "--namespace=ns-2", "--url", stub.url().toString());

        assertThat("exit status; stderr: " + before.err(), before.status(), is(0));
        assertThat("exit status; stderr: " + after.err(), after.status(), is(0));
        StubService.Request first = stub.next();
        StubService.Request second = stub.next();
        assertThat(List.of(first.header("Authorization"), first.header("micro-namespace")),
                contains("Bearer t-1", "ns-1"));
        assertThat(List.of(second.header("Authorization"), second.header("micro-namespace")),
                contains("Bearer t-2", "ns-2"));
    }

    @Test
    void withoutTokenAndNamespaceNoSuchHeaderIsSent() throws InterruptedException {
        Result result = ChatProcess.run(stub.url(), "new", "--user_ids=John");

        assertThat("exit status", result.status(), is(0));
        StubService.Request request = stub.next();
        assertThat(request.header("Authorization"), is(nullValue()));
        assertThat(request.header("micro-namespace"), is(nullValue()));
    }

    @Test
    void aClientCommandLoadsNothingOfTheServer() throws IOException {
        Path classes = Files.createTempFile(Path.of("target"), "cli-classes-", ".txt");

        Result result = ChatProcess.run(stub.url(), Map.of("JAVA_OPTS", "-Xlog:class+load:file=" + classes), "",
                "new", "--user_ids=John");

        assertThat("exit status; stderr: " + result.err(), result.status(), is(0));
        List<String> loaded = Files.readAllLines(classes);
        assertThat("the command line's classes were logged", loaded, hasItem(containsString("chat.cli.NewCommand ")));
        assertThat("no Helidon, CDI, MicroProfile config, JPA or JAX-RS", loaded.stream()
                .filter(line -> line.matches(".*\\] (io\\.helidon|org\\.jboss\\.weld|org\\.eclipse\\.microprofile"
                        + "|jakarta\\.(enterprise|persistence|ws\\.rs)|org\\.hibernate|org\\.glassfish)\\..*"))
                .toList(), is(empty()));
    }

    @Test
    void fieldsTheSpecDoesNotDeclareArePrintedWhereTheServicePutThem() {
        stub.on("POST /chat/New", (request, exchange) -> StubService.answer(exchange, 200,
                "{\"created\":{\"by\":\"John\",\"tags\":[]},\"chat_id\":\"chat-1\",\"members\":[\"Barry\",\"John\"]}"));

        Result result = ChatProcess.run(stub.url(), "new", "--user_ids=John,Barry");

        assertThat("exit status; stderr: " + result.err(), result.status(), is(0));
        assertThat(result.out(), is("""
                {
                \t"created": {
                \t\t"by": "John",
                \t\t"tags": []
                \t},
                \t"chat_id": "chat-1",
                \t"members": [
                \t\t"Barry",
                \t\t"John"
                \t]
                }
                """));
    }

    @Test
    void anErrorAnswerThatIsNotJsonIsShownAsItCame() {
        stub.on("POST /chat/New", (request, exchange) -> {
            exchange.sendResponseHeaders(502, 0);
            exchange.getResponseBody().write("<html>Bad Gateway</html>".getBytes());
        });

        Result result = ChatProcess.run(stub.url(), "new", "--user_ids=John");

        assertThat("exit status", result.status(), is(1));
        assertThat(result.out(), is(""));
        assertThat(result.err(), is("<html>Bad Gateway</html>\n"));
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("send", List.of("send", "--chat_id=c", "--user_id=John"),
                        "chat: Missing required option: '--text=<text>'"),
                Arguments.of("new", List.of("new"), "chat: Missing required option: '--user_ids=<user_id>'"),
                Arguments.of("history", List.of("history", "--chat_id=c", "--limit=ten"),
                        "chat: Invalid value for option '--limit': 'ten' is not an int"),
                Arguments.of("history", List.of("history", "--chat_id=c", "--since=1"),
                        "chat: Unknown option: '--since=1'"),
                Arguments.of("new", List.of("new", "--user_ids", "John", "Barry"),
                        "chat: Unmatched argument at index 3: 'Barry'"),
                Arguments.of("connect", List.of("connect", "--chat_id=c"),
                        "chat: Missing required option: '--user_id=<user_id>'"),
                Arguments.of("", List.of("--url=localhost:8080", "new", "--user_ids=John"),
                        "chat: Invalid value for option '--url': 'localhost:8080' is not an http(s) address such as "
                                + "http://localhost:8080"),
                Arguments.of("new", List.of("new", "--user_ids=John", "--url", "ftp://localhost"),
                        "chat: Invalid value for option '--url': 'ftp://localhost' is not an http(s) address such as "
                                + "http://localhost:8080"),
                Arguments.of("", List.of("chats"), "chat: Unmatched argument at index 0: 'chats'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("usageErrors")
    void aUsageErrorExitsTwoWithTheCommandsHelp(String command, List<String> args, String message) {
        Result result = ChatProcess.run(stub.url(), Map.of(), "", args.toArray(String[]::new));

        assertThat("exit status", result.status(), is(2));
        assertThat("stdout", result.out(), is(""));
        List<String> lines = result.err().lines().toList();
        assertThat("the error, then the help", lines.get(0), is(message));
        String usage = command.isEmpty() ? "Usage: chat [" : "Usage: chat " + command + " [";
        assertThat("the help of " + (command.isEmpty() ? "chat" : command), lines, hasItem(startsWith(usage)));
        assertThat("with its example", result.err(), containsString("Example"));
        assertThat("nothing was sent", stub.requests(), is(empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"new --user_ids=John", "send --chat_id=c --user_id=John --text=hi",
            "history --chat_id=c", "connect --chat_id=c --user_id=John"})
    void anUnreachableServiceExitsThreeWithOneLine(String command) throws IOException {
        int port = ServiceProcess.freePort();

        Result result = ChatProcess.run(null, Map.of("CHAT_URL", "http://127.0.0.1:" + port), "",
                command.split(" "));

        assertThat("exit status", result.status(), is(3));
        assertThat("stdout", result.out(), is(""));
        assertThat(result.err(), is("chat: cannot reach the service at http://127.0.0.1:" + port
                + ": connection refused\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "new", "send", "history", "connect"})
    void everyCommandHasHelpWithAnExample(String command) {
        Result help = ChatProcess.run(stub.url(), "help", command);
        Result option = ChatProcess.run(stub.url(), command, "--help");

        assertThat("exit status", help.status(), is(0));
        assertThat(help.out(), containsString("\nUsage: chat " + command + " "));
        assertThat("an example of it in:\n" + help.out(),
                help.out().matches("(?s).*\nExample:\n  [^\n]*chat " + command + "[ \n].*"), is(true));
        assertThat("--help prints the same", option.out(), is(help.out()));
        assertThat("stderr", help.err() + option.err(), is(""));
        assertThat("nothing was sent, nothing served", stub.requests(), is(empty()));
    }

    @Test
    void helpListsEveryCommandAndTheExitStatuses() {
        Result help = ChatProcess.run(stub.url(), "help");

        assertThat("exit status", help.status(), is(0));
        assertThat(ChatProcess.run(stub.url(), "--help").out(), is(help.out()));
        List<String> commands = List.of("serve", "new", "send", "history", "connect", "help");
        for (String command : commands) {
            assertThat(help.out(), containsString("\n  " + command + " "));
        }
        assertThat(help.out(), containsString("Exit status: 0 done; 1 the service answered an error"));
    }

    @Test
    void connectResumesAfterTheIdOfAnOpeningBlockThatHasNoData() throws Exception {
        var connections = new AtomicInteger();
        stub.on("GET /chat/Connect", (request, exchange) -> {
            if (connections.incrementAndGet() == 1) {
                StubService.stream(exchange, ": connected\nid: 5\nretry: 200\n\n", true);
            } else {
                StubService.stream(exchange, ": connected\nid: 5\nretry: 200\n\nid: 6\nevent: message\ndata: "
                        + MESSAGE + "\n\n", false);
            }
        });

        try (ChatProcess barry = ChatProcess.start(stub.url(), "connect", "--chat_id=chat-1", "--user_id=Barry",
                "--json")) {
            List<String> lines = barry.awaitOut(out -> !out.isEmpty(), Duration.ofSeconds(30));
            barry.endInput();
            assertThat("exit status", barry.waitFor(Duration.ofSeconds(30)), is(0));

            assertThat(lines, contains(MESSAGE));
            List<StubService.Request> streams = stub.requests().stream()
                    .filter(r -> r.method().equals("GET")).toList();
            assertThat("the first connection starts from now", streams.get(0).header("Last-Event-ID"),
                    is(nullValue()));
            assertThat("the second resumes after the opening block's id", streams.get(1).header("Last-Event-ID"),
                    is("5"));
            assertThat(streams.get(1).query(), is("chat_id=chat-1&user_id=Barry"));
            assertThat(barry.errSoFar(), containsString("connection lost (the service ended the stream); "
                    + "resuming after seq 5 in 200 ms\nchat: reconnected, resuming after seq 5\n"));
        }
    }

    @Test
    void inATerminalConnectSaysHowToSendAndLeave() throws Exception {
        assumeTrue(Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "script"))), "util-linux's script makes the terminal");
        stub.on("GET /chat/Connect", (request, exchange) -> StubService.stream(exchange, ": connected\n\n", false));
        stub.on("POST /chat/Connect", (request, exchange) -> StubService.answer(exchange, 200,
                "{\"message\":" + MESSAGE + "}"));
        var builder = ChatProcess.builder(stub.url(), Map.of(), List.of());
        builder.command("script", "-qec", "'" + ServiceProcess.launcher() + "' connect --chat_id=chat-1 --user_id=John",
                "/dev/null");
        Process terminal = builder.redirectErrorStream(true).start();
        StubService.Request stream = stub.next();
        terminal.getOutputStream().write("typed here\n".getBytes(StandardCharsets.UTF_8));
        terminal.getOutputStream().flush();
        StubService.Request send = stub.next();
        terminal.getOutputStream().write(4); // Ctrl-D: the end of the input
        terminal.getOutputStream().flush();
        assertThat("the terminal closed", terminal.waitFor(30, TimeUnit.SECONDS), is(true));
        String screen = new String(terminal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(stream.method() + " " + send.method(), is("GET POST"));
        assertThat(send.body(), containsString("\"text\":\"typed here\""));
        assertThat(screen, containsString("chat: connected to chat-1 as John; type a line to send it, "
                + "end the input (Ctrl-D) to leave"));
        assertThat("exit status", terminal.exitValue(), is(0));
    }

    @Test
    void connectSendsEachLineOnceRetryingWithTheSameClientIdAndReportsRefusals() throws Exception {
        stub.on("GET /chat/Connect", (request, exchange) -> StubService.stream(exchange, ": connected\n\n", false));
        var posts = new AtomicInteger();
        stub.on("POST /chat/Connect", (request, exchange) -> {
            int n = posts.incrementAndGet();
            if (n == 1) {
                StubService.answer(exchange, 503, "{\"id\":\"chat.Unavailable\",\"code\":503,"
                        + "\"detail\":\"the database is unavailable, try again\",\"status\":\"Service Unavailable\"}");
            } else if (request.body().contains("\"text\":\"too long\"")) {
                StubService.answer(exchange, 413, "{\"id\":\"chat.Send.TextTooLarge\",\"code\":413,"
                        + "\"detail\":\"text is larger than 65536 bytes\",\"status\":\"Request Entity Too Large\"}");
            } else {
                StubService.answer(exchange, 200, "{\"message\":" + MESSAGE + "}");
            }
        });

        Result result = ChatProcess.run(stub.url(), Map.of(), "first\n\ntoo long\nlast\n",
                "connect", "--chat_id=chat-1", "--user_id=John");

        assertThat("exit status: a line was refused", result.status(), is(1));
        List<StubService.Request> sends = stub.requests().stream().filter(r -> r.method().equals("POST")).toList();
        List<String> bodies = sends.stream().map(StubService.Request::body).toList();
        assertThat("sent in order, the first twice, the empty line not at all", bodies.stream()
                .map(b -> b.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1")).toList(),
                contains("first", "first", "too long", "last"));
        assertThat("the retry has the first try's client_id", bodies.get(1), is(bodies.get(0)));
        assertThat("each line its own client_id", bodies.stream()
                .map(b -> b.replaceAll(".*\"client_id\":\"([^\"]*)\".*", "$1")).distinct().count(), is(3L));
        assertThat(bodies.get(0), startsWith("{\"chat_id\":\"chat-1\",\"user_id\":\"John\",\"client_id\":\""));
        assertThat(result.err(), containsString("chat: could not send \"first\" yet (the service answered 503); "
                + "retrying with the same client_id\nchat: sent \"first\"\n"));
        assertThat(result.err(), containsString("""
                {
                \t"id": "chat.Send.TextTooLarge",
                \t"code": 413,
                \t"detail": "text is larger than 65536 bytes",
                \t"status": "Request Entity Too Large"
                }
                """));
        assertThat("stdout", result.out(), is(""));
        assertThat("the stream was asked for before anything was sent", stub.requests().get(0).method(), is("GET"));
    }
}

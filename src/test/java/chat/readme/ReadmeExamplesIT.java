package chat.readme;

import chat.ServiceProcess;
import chat.readme.ReadmeExamples.Example;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the README's examples as written, in order, against the running service, and compares each output with the
 * block the README shows under it (see {@link DocumentedOutput}): the sections "Try it" and "Command line", and
 * "Authentication", whose commands make a key pair and tokens and start a service of their own with the public key
 * (see {@link #everyAuthenticationExampleAnswersAsDocumented}). The
 * {@code curl} examples run in one bash session and the {@code chat} examples in another (each session carries its
 * {@code CHAT_ID} from one example to the next, and has its own chat), so that a command line example beside a curl
 * one can show the same answer. {@code chat} is the launcher the build wrote ({@code target/chat}), on the session's
 * {@code PATH}; this test therefore runs after {@code package}. Only what makes a run distinct is substituted: the
 * documented {@code localhost:8080} by this server's address (for {@code chat}, its default address by
 * {@code CHAT_URL}), and the user ids by ids unique to this run, so that earlier runs on the same database do not
 * show up in the histories. A README example that stops working fails the build. Streams run with the documented
 * heartbeat interval (the other tests shorten it), so none falls into the few seconds an example follows a stream.
 */
@HelidonTest
@AddConfig(key = "chat.stream.heartbeat-millis", value = "15000")
@AddConfig(key = "chat.typing.lapse-millis", value = "6000")
class ReadmeExamplesIT {

    private static final Path README = Path.of("README.md");
    private static final List<String> SECTIONS = List.of("Try it", "Command line", "Conversations");
    private static final String AUTHENTICATION = "Authentication";
    private static final String MESSAGE_LIFE = "Message life";
    private static final String SEVERAL_INSTANCES = "Several instances";
    private static final String DOCUMENTED_ADDRESS = "localhost:8080";
    private static final Pattern USER_IDS = Pattern.compile("\"user_ids\"\\s*:\\s*\\[([^]]*)]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern USER_IDS_FLAG = Pattern.compile("--user_ids=(\\S+)");
    private static final Pattern USER_ID_FLAG = Pattern.compile("--user_id=(\\S+)");
    /** A user the Authentication examples make a token for: {@code token John}. */
    private static final Pattern TOKEN_USER = Pattern.compile("\\btoken ([A-Z][A-Za-z]*)\\b");
    private static final Pattern CHAT_COMMAND = Pattern.compile("(?m)(^|[\\s;|&(])chat\\s");
    private static final Pattern MESSAGE_LINE = Pattern.compile("(?m)^(\\d\\d:\\d\\d:\\d\\d) ([^:\\s]+): ");

    @Inject
    WebTarget target;

    List<Example> examples;

    @BeforeEach
    void readExamples() {
        examples = new ArrayList<>();
        for (String section : SECTIONS) {
            examples.addAll(ReadmeExamples.read(README, section));
        }
    }

    private static boolean usesChat(Example example) {
        return CHAT_COMMAND.matcher(example.commands()).find();
    }

    @Test
    void everyExampleShowsItsOutput() {
        assertThat("curl examples in 'Try it': New, the chat id, Send, retry, History, paging, an error",
                examples.stream().filter(e -> !usesChat(e)).count(), greaterThanOrEqualTo(7L));
        assertThat("a chat example beside each curl one, and the command line's own",
                examples.stream().filter(ReadmeExamplesIT::usesChat).count(),
                greaterThanOrEqualTo(examples.stream().filter(e -> !usesChat(e)).count()));
        for (Example example : examples) {
            assertThat("documented output of example " + example.number(), example.output().isBlank(), is(false));
        }
    }

    @Test
    void theAuthenticationSectionShowsEveryStep() {
        List<Example> authentication = ReadmeExamples.read(README, AUTHENTICATION);
        assertThat("Authentication: keys, the service with the key, a token, calls and refusals, Connect, the session"
                + " cookie, a backend, a namespace, the command line, stopping", authentication.size(),
                greaterThanOrEqualTo(12));
        for (Example example : authentication) {
            assertThat("documented output of example " + example.number(), example.output().isBlank(), is(false));
        }
    }

    @Test
    void everyCurlExampleAnswersAsDocumented() throws Exception {
        String address = target.getUri().getHost() + ":" + target.getUri().getPort();
        String run = runId();
        List<Substitution> substitutions = new ArrayList<>();
        substitutions.add(new Substitution(DOCUMENTED_ADDRESS, address));
        for (String user : documentedUsers()) {
            substitutions.add(new Substitution("\"" + user + "\"", "\"" + user + "-" + run + "\""));
        }
        runAndCompare("curl", examples.stream().filter(e -> !usesChat(e)).toList(),
                text -> substitute(text, substitutions), Map.of(), Duration.ofSeconds(60));
    }

    @Test
    void everyChatExampleAnswersAsDocumented() throws Exception {
        String address = target.getUri().getHost() + ":" + target.getUri().getPort();
        String run = runId();
        Set<String> users = documentedUsers();
        Map<String, String> env = Map.of("PATH", chatOnPath() + ":" + System.getenv("PATH"),
                "CHAT_URL", "http://" + address);
        runAndCompare("chat", examples.stream().filter(ReadmeExamplesIT::usesChat).toList(),
                text -> renameUsers(text, users, run), env, Duration.ofSeconds(180));
    }

    /**
     * The section "Message life" (curl only) in a bash session of its own, which makes its own chat: edits,
     * reactions, replies, deletions, Changes, the replay of changes by Last-Event-ID and Search, as documented.
     */
    @Test
    void everyMessageLifeExampleAnswersAsDocumented() throws Exception {
        List<Example> chosen = ReadmeExamples.read(README, MESSAGE_LIFE);
        assertThat("Message life: reply, edit, react, a refusal, History, Changes, delete, replay, search",
                chosen.size(), greaterThanOrEqualTo(8));
        String address = target.getUri().getHost() + ":" + target.getUri().getPort();
        String run = runId();
        List<Substitution> substitutions = new ArrayList<>();
        substitutions.add(new Substitution(DOCUMENTED_ADDRESS, address));
        for (String user : usersOf(chosen)) {
            substitutions.add(new Substitution("\"" + user + "\"", "\"" + user + "-" + run + "\""));
            substitutions.add(new Substitution("user_id=" + user + "\"", "user_id=" + user + "-" + run + "\""));
        }
        runAndCompare("message-life", chosen, text -> substitute(text, substitutions), Map.of(),
                Duration.ofSeconds(60));
    }

    /**
     * The Authentication section in one bash session, curl and {@code chat} alike, as a reader types it in the
     * project's directory: its commands make the keys and tokens, start {@code target/chat} with
     * {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION} in the background, call it, and stop it. The session runs in a scratch
     * directory whose {@code target/chat} is the launcher the build wrote; the service's port comes from
     * {@code SERVER_PORT} (and {@code chat}'s address from {@code CHAT_URL}), the documented {@code localhost:8080}
     * is replaced by it, and the users' names (John, Barry, ...) get a suffix unique to the run wherever they
     * appear, in the commands and the shown outputs alike. Its database is the run's (PostgreSQL through the
     * inherited {@code CHAT_DB_URL}, else an embedded one in the scratch directory).
     */
    @Test
    void everyAuthenticationExampleAnswersAsDocumented() throws Exception {
        List<Example> chosen = ReadmeExamples.read(README, AUTHENTICATION);
        int port = ServiceProcess.freePort();
        String address = "localhost:" + port;
        String run = runId();
        Path scratch = Files.createDirectories(Path.of("target", "readme-examples", "authentication"));
        link(Files.createDirectories(scratch.resolve("target")).resolve("chat"), ServiceProcess.launcher());
        Set<String> users = usersOf(chosen);
        users.addAll(tokenUsers(chosen));
        Pattern names = Pattern.compile("\\b(" + String.join("|", users.stream().map(Pattern::quote).toList())
                + ")\\b");
        Map<String, String> env = Map.of("PATH", chatOnPath() + ":" + System.getenv("PATH"),
                "CHAT_URL", "http://" + address, "SERVER_PORT", Integer.toString(port));
        runAndCompare("authentication", chosen, text -> replaceEach(names,
                text.replace(DOCUMENTED_ADDRESS, address), m -> m.group(1) + "-" + run), env, Duration.ofSeconds(180));
    }

    /**
     * The section "Several instances" in one bash session, as the Authentication one: two instances of
     * {@code target/chat} on the run's PostgreSQL database (the documented {@code .../chat} is replaced by it), on
     * two free ports in place of the documented 8080 and 8081, a message sent through one and read from a stream
     * on the other, then both stopped. On the embedded database it cannot run: H2 serves one process.
     */
    @Test
    void everySeveralInstancesExampleAnswersAsDocumented() throws Exception {
        String database = System.getenv("CHAT_DB_URL");
        assumeTrue(database != null && database.startsWith("jdbc:postgresql:"),
                "several instances need PostgreSQL (the embedded database serves one process); runs in the"
                        + " PostgreSQL pass");
        List<Example> chosen = ReadmeExamples.read(README, SEVERAL_INSTANCES);
        assertThat("Several instances: start two, a message across, stop", chosen.size(), is(3));
        String first = Integer.toString(ServiceProcess.freePort());
        String second = Integer.toString(ServiceProcess.freePort());
        String run = runId();
        Path scratch = Files.createDirectories(Path.of("target", "readme-examples", "fleet"));
        link(Files.createDirectories(scratch.resolve("target")).resolve("chat"), ServiceProcess.launcher());
        Pattern names = Pattern.compile("\\b(" + String.join("|", usersOf(chosen).stream().map(Pattern::quote)
                .toList()) + ")\\b");
        UnaryOperator<String> substitute = text -> replaceEach(names, text
                .replace("jdbc:postgresql://127.0.0.1:5432/chat ", database + " ")
                .replace("8080", first).replace("8081", second), m -> m.group(1) + "-" + run);
        runAndCompare("fleet", chosen, substitute, Map.of(), Duration.ofSeconds(180));
    }

    /** A directory with {@code chat} in it: the launcher the build wrote. */
    private static Path chatOnPath() throws IOException {
        Path bin = Files.createDirectories(Path.of("target", "readme-examples", "bin"));
        link(bin.resolve("chat"), ServiceProcess.launcher());
        return bin.toAbsolutePath();
    }

    private static void link(Path link, Path to) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, to);
    }

    private static Set<String> tokenUsers(List<Example> chosen) {
        Set<String> users = new LinkedHashSet<>();
        for (Example example : chosen) {
            Matcher tokens = TOKEN_USER.matcher(example.commands());
            while (tokens.find()) {
                users.add(tokens.group(1));
            }
        }
        return users;
    }

    private static String runId() {
        return Long.toString(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE, 36);
    }

    /** The users of the chat examples, in their flags, their JSON and their message lines, made unique to the run. */
    private static String renameUsers(String text, Set<String> users, String run) {
        for (String user : users) {
            text = text.replace("\"" + user + "\"", "\"" + user + "-" + run + "\"");
        }
        text = replaceEach(USER_IDS_FLAG, text, m -> "--user_ids=" + String.join(",",
                Stream.of(m.group(1).split(",")).map(u -> users.contains(u) ? u + "-" + run : u).toList()));
        text = replaceEach(USER_ID_FLAG, text, m -> "--user_id=" + (users.contains(m.group(1))
                ? m.group(1) + "-" + run : m.group(1)));
        return replaceEach(MESSAGE_LINE, text, m -> m.group(1) + " " + (users.contains(m.group(2))
                ? m.group(2) + "-" + run : m.group(2)) + ": ");
    }

    private static String replaceEach(Pattern pattern, String text, Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private void runAndCompare(String session, List<Example> chosen, UnaryOperator<String> substitute,
                               Map<String, String> env, Duration limit) throws Exception {
        Instant started = Instant.now();
        List<String> outputs = runInOneSession(session,
                chosen.stream().map(example -> substitute.apply(example.commands())).toList(), env, limit);

        var documented = new DocumentedOutput(started);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            Example example = chosen.get(i);
            String output = outputs.get(i);
            List<String> differences = documented.differences(example.outputLanguage(),
                    substitute.apply(example.output()), output);
            if (!differences.isEmpty()) {
                failures.add("README example " + example.number() + " (" + session + "):\n" + example.commands()
                        + "printed:\n" + output + "\ndiffers from the README:\n  " + String.join("\n  ", differences));
            }
        }
        assertThat("README examples that do not answer as documented:\n" + String.join("\n\n", failures),
                failures, is(empty()));
    }

    private record Substitution(String documented, String used) {
    }

    private static String substitute(String text, List<Substitution> substitutions) {
        for (Substitution substitution : substitutions) {
            text = text.replace(substitution.documented(), substitution.used());
        }
        return text;
    }

    /** The user ids the examples create chats for, e.g. John and Barry. */
    private Set<String> documentedUsers() {
        return usersOf(examples);
    }

    private static Set<String> usersOf(List<Example> chosen) {
        Set<String> users = new LinkedHashSet<>();
        for (Example example : chosen) {
            Matcher lists = USER_IDS.matcher(example.commands());
            while (lists.find()) {
                Matcher names = QUOTED.matcher(lists.group(1));
                while (names.find()) {
                    users.add(names.group(1));
                }
            }
            Matcher flags = USER_IDS_FLAG.matcher(example.commands());
            while (flags.find()) {
                users.addAll(List.of(flags.group(1).split(",")));
            }
        }
        assertThat("the examples create a chat for some users", users, not(empty()));
        return users;
    }

    /**
     * Runs the commands in one bash process, in order, and returns what each printed. Whatever an example left
     * running in the background (a stream, a service) is ended with the session.
     */
    private static List<String> runInOneSession(String session, List<String> commands, Map<String, String> env,
                                                Duration limit) throws Exception {
        String marker = "@@@ readme example " + UUID.randomUUID() + " @@@";
        StringBuilder script = new StringBuilder("trap 'kill $(jobs -p) 2>/dev/null' EXIT\n");
        for (String command : commands) {
            script.append("printf '\\n%s\\n' '").append(marker).append("'\n").append(command).append('\n');
        }
        script.append("printf '\\n%s\\n' '").append(marker).append("'\n");
        // In a scratch directory, so that an example that writes a file leaves nothing in the project.
        Path dir = Files.createDirectories(Path.of("target", "readme-examples", session));
        Path file = dir.resolve("examples.sh");
        Files.writeString(file, script);
        Path stderr = dir.resolve("examples.stderr");

        var builder = new ProcessBuilder("bash", "--noprofile", "--norc", file.toAbsolutePath().toString())
                .directory(dir.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("CHAT_TOKEN");
        builder.environment().remove("MICRO_NAMESPACE");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().keySet().removeIf(name -> name.startsWith("MP_JWT_"));
        builder.environment().putAll(env);
        Process bash = builder.start();
        bash.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!bash.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
            throw new AssertionError("the README's " + session + " examples did not finish within " + limit
                    + "; stderr: " + Files.readString(stderr));
        }
        String stdout = output.get(30, TimeUnit.SECONDS);
        String[] parts = stdout.split("\n?" + Pattern.quote(marker) + "\n", -1);
        assertThat("every example ran (stderr: " + Files.readString(stderr) + ")\n" + stdout,
                parts.length, is(commands.size() + 2));
        List<String> outputs = new ArrayList<>();
        for (int i = 1; i <= commands.size(); i++) {
            outputs.add(parts[i]);
        }
        return outputs;
    }
}

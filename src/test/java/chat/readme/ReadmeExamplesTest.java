package chat.readme;

import chat.readme.ReadmeExamples.Example;
import io.helidon.microprofile.testing.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Runs the README's "Try it" examples as written, in order, in one bash session (so {@code CHAT_ID} carries from
 * one to the next), against the running service, and compares each output with the block the README shows under
 * it (see {@link DocumentedOutput}). Only two things are substituted: the documented {@code localhost:8080} by
 * this server's address, and the user ids by ids unique to this run, so that earlier runs on the same database
 * do not show up in the histories. A README example that stops working fails the build. Streams run with the
 * documented heartbeat interval (the other tests shorten it), so none falls into the few seconds an example
 * follows a stream.
 */
@HelidonTest
@AddConfig(key = "chat.stream.heartbeat-millis", value = "15000")
class ReadmeExamplesTest {

    private static final Path README = Path.of("README.md");
    private static final String SECTION = "Try it";
    private static final String DOCUMENTED_ADDRESS = "localhost:8080";
    private static final Pattern USER_IDS = Pattern.compile("\"user_ids\"\\s*:\\s*\\[([^]]*)]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    @Inject
    WebTarget target;

    List<Example> examples;

    @BeforeEach
    void readExamples() {
        examples = ReadmeExamples.read(README, SECTION);
    }

    @Test
    void tryItShowsTheOutputOfEveryExample() {
        assertThat("examples in 'Try it': New, the chat id, Send, retry, History, paging, an error",
                examples.size(), greaterThanOrEqualTo(7));
        for (Example example : examples) {
            assertThat("documented output of example " + example.number(), example.output().isBlank(), is(false));
        }
    }

    @Test
    void everyTryItExampleAnswersAsDocumented() throws Exception {
        Instant started = Instant.now();
        String address = target.getUri().getHost() + ":" + target.getUri().getPort();
        List<Substitution> substitutions = new ArrayList<>();
        substitutions.add(new Substitution(DOCUMENTED_ADDRESS, address));
        String run = Long.toString(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE, 36);
        for (String user : documentedUsers()) {
            substitutions.add(new Substitution("\"" + user + "\"", "\"" + user + "-" + run + "\""));
        }

        List<String> outputs = runInOneSession(examples.stream()
                .map(example -> substitute(example.commands(), substitutions))
                .toList());

        var documented = new DocumentedOutput(started);
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            String output = outputs.get(example.number() - 1);
            List<String> differences = documented.differences(example.outputLanguage(),
                    substitute(example.output(), substitutions), output);
            if (!differences.isEmpty()) {
                failures.add("README example " + example.number() + ":\n" + example.commands()
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
        Set<String> users = new LinkedHashSet<>();
        for (Example example : examples) {
            Matcher lists = USER_IDS.matcher(example.commands());
            while (lists.find()) {
                Matcher names = QUOTED.matcher(lists.group(1));
                while (names.find()) {
                    users.add(names.group(1));
                }
            }
        }
        assertThat("the examples create a chat for some users", users, not(empty()));
        return users;
    }

    /** Runs each example's commands in one bash process, in order, and returns what each printed. */
    private static List<String> runInOneSession(List<String> commands) throws IOException, InterruptedException {
        String marker = "@@@ readme example " + UUID.randomUUID() + " @@@";
        StringBuilder script = new StringBuilder();
        for (String command : commands) {
            script.append("printf '\\n%s\\n' '").append(marker).append("'\n").append(command).append('\n');
        }
        script.append("printf '\\n%s\\n' '").append(marker).append("'\n");
        Path dir = Files.createDirectories(Path.of("target", "readme-examples"));
        Path file = dir.resolve("try-it.sh");
        Files.writeString(file, script);
        Path stderr = dir.resolve("try-it.stderr");

        // In a scratch directory, so that an example that writes a file leaves nothing in the project.
        Process bash = new ProcessBuilder("bash", "--noprofile", "--norc", file.toAbsolutePath().toString())
                .directory(dir.toFile())
                .redirectError(stderr.toFile())
                .start();
        bash.getOutputStream().close();
        String stdout = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!bash.waitFor(60, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            throw new AssertionError("the README examples did not finish within 60 s");
        }
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

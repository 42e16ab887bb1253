package chat.sdk;

import chat.SearchPath;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second SDK: openapi-generator's typescript-fetch client made from the spec at build time (the
 * {@code typescript-sdk} execution in pom.xml), compiled without edits by the TypeScript compiler (installed from
 * npm into target/, once) and run with node against the running service by {@code src/test/node/sdk.test.js}.
 * Skipped where node and npm are not installed or the compiler cannot be installed (counted as skipped, and the
 * reason is printed on the console by {@link chat.SkipReport}); a client that does not compile or does not work
 * with the service fails.
 */
@HelidonTest
@ExtendWith(TypeScriptClientTest.NodeInstalled.class)
class TypeScriptClientTest {

    private static final Path GENERATED = Path.of("target", "generated-test-sources", "ts-sdk");
    private static final Path TOOLS = Path.of("target", "ts-tools");
    static final Path COMPILED = Path.of("target", "ts-sdk-compiled");
    private static final Path SCRIPT = Path.of("src", "test", "node", "sdk.test.js");

    @Inject
    WebTarget target;

    /** Compiled once per test run (for every class that runs the client), from what the generator made in this build. */
    private static boolean compiled;

    Path node;

    /** What a command printed, and how it ended. */
    record Run(int exit, String output) {
    }

    /** Runs the test only where node and npm are installed; elsewhere it is reported as skipped, with the reason. */
    static final class NodeInstalled implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String path = SearchPath.of(context);
            if (SearchPath.find(path, "node").isPresent() && SearchPath.find(path, "npm").isPresent()) {
                return ConditionEvaluationResult.enabled("node and npm are installed");
            }
            return ConditionEvaluationResult.disabled("THE TYPESCRIPT SDK TEST DID NOT RUN: node and npm must be on "
                    + "the PATH (Debian: apt-get install nodejs npm)");
        }
    }

    @BeforeEach
    void tools() throws Exception {
        node = compiledClient();
    }

    /**
     * Installs the compiler (once, into target/) and compiles the generated client (once per test run); answers
     * the node to run it with.
     */
    static synchronized Path compiledClient() throws Exception {
        String path = SearchPath.fromEnvironment();
        Path node = SearchPath.find(path, "node").orElseThrow();
        Path npm = SearchPath.find(path, "npm").orElseThrow();
        Path tsc = TOOLS.resolve(Path.of("node_modules", "typescript", "bin", "tsc"));
        if (!Files.exists(tsc)) {
            String typescript = "typescript@" + System.getProperty("chat.test.typescript.version", "5.9.3");
            Run install = run(List.of(npm.toString(), "install", "--no-save", "--no-audit", "--no-fund",
                    "--prefix", TOOLS.toString(), typescript), Map.of(), 300);
            assumeTrue(install.exit() == 0, () -> "THE TYPESCRIPT SDK TEST DID NOT RUN: npm could not install "
                    + typescript + ":\n" + install.output());
        }
        if (!compiled) {
            Run compile = run(List.of(node.toString(), tsc.toString(), "--outDir", COMPILED.toString(),
                    "--module", "commonjs", "--target", "es2020", "--moduleResolution", "node",
                    "--lib", "es2020,dom", "--strict", "--skipLibCheck",
                    GENERATED.resolve("index.ts").toString()), Map.of(), 300);
            assertThat("the generated client compiles without edits:\n" + compile.output(), compile.exit(), is(0));
            compiled = true;
        }
        return node;
    }

    @Test
    void generatedTypeScriptClientDrivesTheService() throws Exception {
        String base = target.getUri().toString().replaceAll("/+$", "");

        Run tests = run(List.of(node.toString(), "--test", SCRIPT.toString()),
                Map.of("SDK_DIR", COMPILED.toAbsolutePath().toString(), "CHAT_URL", base), 120);

        assertThat("node --test " + SCRIPT + ":\n" + tests.output(), tests.exit(), is(0));
    }

    static Run run(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target")), "ts-sdk-", ".log");
        var builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(process.exitValue(), output);
    }

}

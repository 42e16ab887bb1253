package chat.sdk;

import chat.identity.TestTokens;
import io.helidon.config.mp.MpConfigSources;
import io.helidon.microprofile.testing.AddConfigSource;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The TypeScript client of {@link TypeScriptClientTest} against a service with a public key configured: node runs
 * {@code src/test/node/sdk-tokens.test.js}, which gives the client its token through
 * {@code Configuration({accessToken})}, with tokens this test signs. Skipped where node and npm are not installed.
 */
@HelidonTest
@ExtendWith(TypeScriptClientTest.NodeInstalled.class)
class TypeScriptClientWithTokensTest {

    static final TestTokens KEYS = TestTokens.rsa();
    private static final Path SCRIPT = Path.of("src", "test", "node", "sdk-tokens.test.js");

    @AddConfigSource
    static ConfigSource key() {
        return MpConfigSources.create(Map.of("mp.jwt.verify.publickey", KEYS.publicKeyPem()));
    }

    @Inject
    WebTarget target;

    @Test
    void generatedTypeScriptClientCallsWithItsAccessToken() throws Exception {
        Path node = TypeScriptClientTest.compiledClient();
        String john = user("John");
        String base = target.getUri().toString().replaceAll("/+$", "");

        var tests = TypeScriptClientTest.run(List.of(node.toString(), "--test", SCRIPT.toString()), Map.of(
                "SDK_DIR", TypeScriptClientTest.COMPILED.toAbsolutePath().toString(),
                "CHAT_URL", base,
                "JOHN", john,
                "JOHN_TOKEN", KEYS.token(john),
                "BARRY", user("Barry"),
                "ACME_TOKEN", KEYS.sign(TestTokens.claims(john).put("namespace", "acme"))), 120);

        assertThat("node --test " + SCRIPT + ":\n" + tests.output(), tests.exit(), is(0));
    }
}

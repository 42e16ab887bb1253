package chat.platform;

import chat.Api;
import chat.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded database is one process's: a second process started on the same data directory stops at once and
 * says why, and the first goes on serving, its data intact.
 */
class EmbeddedSingleInstanceTest {

    @Test
    void aSecondProcessOnTheSameEmbeddedDatabaseRefusesClearly() throws Exception {
        assumeTrue(System.getenv("CHAT_DB_URL") == null, "about the embedded database: runs in the embedded pass");
        Path dataDir = Files.createTempDirectory(Path.of("target"), "single-instance-");
        try (ServiceProcess first = ServiceProcess.start(dataDir, ServiceProcess.freePort(), Map.of())) {
            String chatId = first.api().newChat(user("John"), user("Barry"));
            Path log = dataDir.resolve("second.log");
            Process second = new ProcessBuilder(ServiceProcess.command(dataDir, ServiceProcess.freePort()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean ended = second.waitFor(90, TimeUnit.SECONDS);
            if (!ended) {
                second.destroyForcibly().waitFor();
            }
            assertThat("the second process stopped by itself", ended, is(true));
            assertThat("its exit status", second.exitValue(), is(2));
            assertThat(Files.readString(log), containsString("the embedded database in " + dataDir.toAbsolutePath()
                    + " is in use by another process"));
            Api api = first.api();
            assertThat("the first still serves its chats", api.send(chatId, "x", null, "still here").get("seq")
                    .asLong(), is(1L));
        }
    }
}

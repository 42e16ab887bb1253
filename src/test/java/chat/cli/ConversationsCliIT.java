package chat.cli;

import chat.ServiceProcess;
import chat.cli.ChatProcess.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** {@code chat list, create, invite, leave, read} (issue 14) against the service built as a jar. */
class ConversationsCliIT {

    private static ServiceProcess service;
    private static URI url;

    @BeforeAll
    static void startService() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-groups-");
        int port = ServiceProcess.freePort();
        service = ServiceProcess.launch(dataDir, port, Map.of(), "serve");
        url = URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        service.stop();
    }

    private static Result chat(String... args) {
        Result result = ChatProcess.run(url, args);
        assertThat("exit status of " + String.join(" ", args) + "; stderr: " + result.err(), result.status(), is(0));
        return result;
    }

    @Test
    void aGroupIsCreatedJoinedListedReadAndLeft() {
        String john = CliIT.user("John");
        String barry = CliIT.user("Barry");
        String dave = CliIT.user("Dave");
        Result created = chat("create", "--user_id=" + john, "--name=Lunch", "--user_ids=" + barry);
        assertThat(created.out(), containsString("\t\t\"name\": \"Lunch\",\n"));
        assertThat(created.out(), containsString("\t\t\"kind\": \"group\",\n"));
        String chatId = created.out().replaceAll("(?s).*\"chat_id\": \"([^\"]+)\".*", "$1");
        assertThat(chat("invite", "--chat_id=" + chatId, "--user_id=" + barry, "--user_ids=" + dave).out(),
                containsString("\"" + dave + "\""));
        chat("send", "--chat_id=" + chatId, "--user_id=" + john, "--text=Noon?");
        assertThat(chat("list", "--user_id=" + barry).out(), containsString("\t\t\t\"unread\": 1,\n"));
        assertThat(chat("read", "--chat_id=" + chatId, "--user_id=" + barry, "--seq=3").out(),
                containsString("\t\"seq\": 3\n"));
        assertThat(chat("list", "--user_id=" + barry).out(), containsString("\t\t\t\"unread\": 0,\n"));
        assertThat(chat("leave", "--chat_id=" + chatId, "--user_id=" + dave).out().contains("\"" + dave + "\""),
                is(false));
        Result refused = ChatProcess.run(url, "leave", "--chat_id=" + chatId, "--user_id=" + john);
        assertThat(refused.status(), is(1));
        assertThat(refused.err(), containsString("chat.Leave.Owner"));
    }
}

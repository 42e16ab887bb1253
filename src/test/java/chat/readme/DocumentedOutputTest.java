package chat.readme;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

class DocumentedOutputTest {

    private static final String A = "50b99a28-cb83-4841-9e38-adba1065fbdd";
    private static final String B = "d39a6a15-47c0-4a89-b9a1-9ebf40792cd6";
    private static final String X = "11111111-2222-4333-8444-555555555555";
    private static final String Y = "66666666-7777-4888-9999-aaaaaaaaaaaa";

    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final DocumentedOutput documented = new DocumentedOutput(Instant.now());

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    @Test
    void otherUuidsAndThisRunsSentAtAgree() {
        var differences = documented.differences("json",
                "{\"message\":{\"id\":\"" + A + "\",\"seq\":1,\"sent_at\":1795500709}}",
                "{\"message\":{\"id\":\"" + X + "\",\"seq\":1,\"sent_at\":" + now() + "}}");

        assertThat("differences", differences, is(empty()));
    }

    @Test
    void twoAnswersPrintedWithoutNewlineAreReadAsTwo() {
        var differences = documented.differences("json", "{\"id\":\"" + A + "\"}\n{\"id\":\"" + A + "\"}",
                "{\"id\":\"" + X + "\"}{\"id\":\"" + X + "\"}");

        assertThat("differences", differences, is(empty()));
    }

    @Test
    void renamedFieldDiffers() {
        var differences = documented.differences("json", "{\"chat_id\":\"" + A + "\"}", "{\"chatId\":\"" + X + "\"}");

        assertThat("differences", differences, contains("answer 1: documented fields [chat_id], got [chatId]"));
    }

    @Test
    void otherValueDiffers() {
        var differences = documented.differences("json", "{\"seq\":2}", "{\"seq\":3}");

        assertThat("differences", differences, contains("answer 1.seq: documented 2, got 3"));
    }

    @Test
    void sameDocumentedIdAnsweredDifferentlyDiffers() {
        documented.differences("", A, X);

        var differences = documented.differences("json", "{\"chat_id\":\"" + A + "\"}", "{\"chat_id\":\"" + Y + "\"}");

        assertThat("differences", differences, hasSize(1));
    }

    @Test
    void twoDocumentedIdsAnsweredTheSameDiffers() {
        documented.differences("", A, X);

        var differences = documented.differences("", B, X);

        assertThat("differences", differences, hasSize(1));
    }

    @Test
    void sentAtInMillisecondsDiffers() {
        var differences = documented.differences("json", "{\"sent_at\":1795500709}",
                "{\"sent_at\":" + Instant.now().toEpochMilli() + "}");

        assertThat("differences", differences, hasSize(1));
    }

    @Test
    void expiresAtOfATokenMadeInThisRunAgrees() {
        long inAnHour = Instant.now().getEpochSecond() + 3600;

        var differences = documented.differences("json", "{\"user_id\":\"John\",\"expires_at\":1795505158}",
                "{\"user_id\":\"John\",\"expires_at\":" + inAnHour + "}");

        assertThat("differences", differences, is(empty()));
    }

    @Test
    void expiresAtInThePastOrInMillisecondsDiffers() {
        long anHourAgo = Instant.now().getEpochSecond() - 3600;

        assertThat("in the past", documented.differences("json", "{\"expires_at\":1795505158}",
                "{\"expires_at\":" + anHourAgo + "}"), hasSize(1));
        assertThat("in milliseconds", documented.differences("json", "{\"expires_at\":1795505158}",
                "{\"expires_at\":" + (Instant.now().toEpochMilli() + 3_600_000) + "}"), hasSize(1));
    }

    @Test
    void httpAnswerNeedsTheDocumentedStatusAndHeaders() {
        String shown = "HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{\"code\":400}";
        String got = "HTTP/1.1 404 Not Found\r\nDate: today\r\nContent-Type: text/plain\r\n\r\n{\"code\":400}";

        var differences = documented.differences("", shown, got);

        assertThat("differences", differences, contains(
                "status line: documented 'HTTP/1.1 400 Bad Request', got 'HTTP/1.1 404 Not Found'",
                "header Content-Type: documented 'application/json', got 'text/plain'"));
    }

    @Test
    void nonJsonOutputWhereJsonIsDocumentedDiffers() {
        var differences = documented.differences("json", "{\"chat_id\":\"" + A + "\"}", "curl: (7) refused");

        assertThat("differences", differences, contains("expected JSON, got: curl: (7) refused"));
    }

    @Test
    void missingOutputDiffers() {
        var differences = documented.differences("json", "{\"chat_id\":\"" + A + "\"}", "");

        assertThat("differences", differences, contains("documented 1 JSON answer(s), got 0: "));
    }

    @Test
    void eventDataIsComparedAsJson() {
        var differences = documented.differences("", "id: 3\nevent: message\ndata: {\"chat_id\":\"" + A
                + "\",\"sent_at\":1795501560}\n", "id: 3\nevent: message\ndata: {\"chat_id\":\"" + X
                + "\",\"sent_at\":" + now() + "}\n");

        assertThat("differences", differences, is(empty()));
    }

    @Test
    void eventWithOtherIdDiffers() {
        var differences = documented.differences("", "id: 3\nevent: message", "id: 4\nevent: message");

        assertThat("differences", differences, contains("output line 1: documented 'id: 3', got 'id: 4'"));
    }

    @Test
    void aTimeOfDayOfThisRunAgrees() {
        String now = LocalTime.now().format(HH_MM_SS);

        var differences = documented.differences("", "12:09:20 John: Still there?", now + " John: Still there?");

        assertThat("differences", differences, is(empty()));
    }

    @Test
    void aTimeOfDayOutsideThisRunDiffers() {
        String earlier = LocalTime.now().minusHours(2).format(HH_MM_SS);

        var differences = documented.differences("", "12:09:20 John: Still there?", earlier + " John: Still there?");

        assertThat("differences", differences, hasSize(1));
    }

    @Test
    void indentedJsonMustBeLaidOutTheSame() {
        String shown = "{\n\t\"chat_id\": \"" + A + "\",\n\t\"seq\": 2\n}";

        assertThat("tabs as shown", documented.differences("json", shown,
                "{\n\t\"chat_id\": \"" + X + "\",\n\t\"seq\": 2\n}\n"), is(empty()));
        assertThat("spaces instead of tabs", documented.differences("json", shown,
                "{\n  \"chat_id\": \"" + X + "\",\n  \"seq\": 2\n}"), hasSize(2));
        assertThat("on one line", documented.differences("json", shown,
                "{\"chat_id\":\"" + X + "\",\"seq\":2}"), hasSize(1));
    }
}

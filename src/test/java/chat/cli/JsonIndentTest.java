package chat.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class JsonIndentTest {

    private static String indent(String json) {
        return new String(JsonIndent.indent(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void newAnswerIsLaidOutAsTheSeedShowsIt() {
        assertThat(indent("{\"chat_id\":\"3c9ea66c-d516-45d4-abe8-082089e18b27\"}"),
                is("{\n\t\"chat_id\": \"3c9ea66c-d516-45d4-abe8-082089e18b27\"\n}"));
    }

    @Test
    void historyAnswerIndentsEveryLevelWithOneTab() {
        String json = "{\"messages\":[{\"id\":\"a\",\"user_id\":\"John\",\"sent_at\":1,\"seq\":1},"
                + "{\"id\":\"b\",\"user_id\":\"Barry\",\"sent_at\":2,\"seq\":2}]}";

        assertThat(indent(json), is("""
                {
                \t"messages": [
                \t\t{
                \t\t\t"id": "a",
                \t\t\t"user_id": "John",
                \t\t\t"sent_at": 1,
                \t\t\t"seq": 1
                \t\t},
                \t\t{
                \t\t\t"id": "b",
                \t\t\t"user_id": "Barry",
                \t\t\t"sent_at": 2,
                \t\t\t"seq": 2
                \t\t}
                \t]
                }"""));
    }

    @Test
    void emptyObjectsAndArraysStayOnOneLine() {
        assertThat(indent("{}"), is("{}"));
        assertThat(indent("{\"messages\":[],\"meta\":{}}"), is("{\n\t\"messages\": [],\n\t\"meta\": {}\n}"));
    }

    @Test
    void stringsKeepTheirBytesAndEscapesAndTheirPunctuationIsNotLaidOut() {
        String json = "{\"text\":\"a, b: {c} [d] \\\"e\\\" \\\\ \\u00e9 Grüße 😀\"}";

        assertThat(indent(json), is("{\n\t\"text\": \"a, b: {c} [d] \\\"e\\\" \\\\ \\u00e9 Grüße 😀\"\n}"));
    }

    @Test
    void stringEndingInAnEscapedBackslashEndsThere() {
        assertThat(indent("{\"a\":\"x\\\\\",\"b\":1}"), is("{\n\t\"a\": \"x\\\\\",\n\t\"b\": 1\n}"));
    }

    @Test
    void fieldsKeepTheServicesOrderAndUnknownFieldsStay() {
        assertThat(indent("{\"z\":1,\"a\":true,\"later_field\":null,\"m\":-1.5e3}"),
                is("{\n\t\"z\": 1,\n\t\"a\": true,\n\t\"later_field\": null,\n\t\"m\": -1.5e3\n}"));
    }

    @Test
    void whitespaceBetweenTokensIsReplacedNotAdded() {
        assertThat(indent(" {\n  \"a\" :\t[ 1 , 2 ]\r\n} "), is("{\n\t\"a\": [\n\t\t1,\n\t\t2\n\t]\n}"));
    }
}

package chat.readme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what a command printed with the output a document shows for it. Everything must be equal except what
 * the server makes up anew on every run:
 * <ul>
 *     <li>UUIDs: an actual UUID stands for a documented one, consistently. Once documented id A was answered as X,
 *     every later A must be X and no other documented id may be X, so "the same chat again" and "the retry answers
 *     the same message" are checked, not just the format.</li>
 *     <li>{@code sent_at}, and a change's {@code edited_at} and {@code at}: any whole number of Unix seconds between
 *     the start of the run and now.</li>
 *     <li>{@code expires_at} (when a token expires): any whole number of Unix seconds from the start of the run to a
 *     day after now; the tokens a document makes live for an hour or so.</li>
 *     <li>A time of day {@code HH:MM:SS} (how {@code chat connect} shows when a message was sent): any time between
 *     the start of the run and now, in the local time zone.</li>
 * </ul>
 * JSON outputs must have the same values, field names in the same order, and arrays of the same length; a JSON output
 * shown indented (as {@code chat} prints it) must also be laid out the same, line by line. An output
 * that starts with {@code HTTP/} ({@code curl -i}) must have the same status line, every documented header with its
 * documented value, and the same body. Other outputs are compared line by line, a line ending in a JSON object
 * (such as an event's {@code data: {...}}) as JSON.
 */
public final class DocumentedOutput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TIME_OF_DAY = Pattern.compile("\\b([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\b");
    private static final Pattern MADE_UP = Pattern.compile(UUID.pattern() + "|" + TIME_OF_DAY.pattern());
    private static final Pattern JSON_STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern JSON_NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");
    private static final long CLOCK_SLACK_SECONDS = 5;
    private static final long DAY_SECONDS = 24 * 60 * 60;

    private final long startedAt;
    private final Map<String, String> actualByDocumented = new HashMap<>();
    private final Map<String, String> documentedByActual = new HashMap<>();

    public DocumentedOutput(Instant startedAt) {
        this.startedAt = startedAt.getEpochSecond();
    }

    /** The differences between the documented and the actual output; empty when they agree. */
    public List<String> differences(String language, String documented, String actual) {
        List<String> differences = new ArrayList<>();
        String shown = documented.replace("\r\n", "\n").strip();
        String got = actual.replace("\r\n", "\n").strip();
        if (language.equals("json")) {
            compareJsonSequence(shown, got, differences);
        } else if (shown.startsWith("HTTP/")) {
            compareHttp(shown, got, differences);
        } else {
            compareLines("output", shown, got, differences);
        }
        return differences;
    }

    private void compareJsonSequence(String documented, String actual, List<String> differences) {
        List<JsonNode> shown = jsonValues(documented);
        List<JsonNode> got;
        try {
            got = jsonValues(actual);
        } catch (IllegalArgumentException e) {
            differences.add("expected JSON, got: " + actual);
            return;
        }
        if (shown.size() != got.size()) {
            differences.add("documented " + shown.size() + " JSON answer(s), got " + got.size() + ": " + actual);
        }
        for (int i = 0; i < Math.min(shown.size(), got.size()); i++) {
            compareJson("answer " + (i + 1), null, shown.get(i), got.get(i), differences);
        }
        if (documented.contains("\n\t") || documented.contains("\n ")) {
            compareLayout(documented, actual, differences);
        }
    }

    /** Indented JSON: the same lines with the same indentation and punctuation, whatever the values. */
    private static void compareLayout(String documented, String actual, List<String> differences) {
        List<String> shown = skeleton(documented);
        List<String> got = skeleton(actual);
        if (shown.size() != got.size()) {
            differences.add("layout: documented " + shown.size() + " lines, got " + got.size() + ": " + actual);
            return;
        }
        for (int i = 0; i < shown.size(); i++) {
            if (!shown.get(i).equals(got.get(i))) {
                differences.add("layout of line " + (i + 1) + ": documented '" + shown.get(i) + "', got '"
                        + got.get(i) + "'");
            }
        }
    }

    private static List<String> skeleton(String json) {
        return json.lines().map(line -> JSON_NUMBER.matcher(JSON_STRING.matcher(line).replaceAll("\"…\""))
                .replaceAll("0")).toList();
    }

    private static List<JsonNode> jsonValues(String text) {
        List<JsonNode> values = new ArrayList<>();
        try (var parser = JSON.createParser(text)) {
            Iterator<JsonNode> iterator = JSON.readValues(parser, JsonNode.class);
            iterator.forEachRemaining(values::add);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a sequence of JSON values: " + text, e);
        }
        return values;
    }

    private void compareHttp(String documented, String actual, List<String> differences) {
        String[] shown = documented.split("\n\n", 2);
        String[] got = actual.split("\n\n", 2);
        List<String> shownHead = shown[0].lines().toList();
        List<String> gotHead = got[0].lines().toList();
        if (!shownHead.get(0).equals(gotHead.get(0))) {
            differences.add("status line: documented '" + shownHead.get(0) + "', got '" + gotHead.get(0) + "'");
        }
        Map<String, String> headers = new HashMap<>();
        for (String line : gotHead.subList(1, gotHead.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        for (String line : shownHead.subList(1, shownHead.size())) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            String answered = headers.get(name.toLowerCase(Locale.ROOT));
            if (!value.equals(answered)) {
                differences.add("header " + name + ": documented '" + value + "', got "
                        + (answered == null ? "none" : "'" + answered + "'"));
            }
        }
        String shownBody = shown.length > 1 ? shown[1].strip() : "";
        String gotBody = got.length > 1 ? got[1].strip() : "";
        if (shownBody.startsWith("{") || shownBody.startsWith("[")) {
            compareJsonSequence(shownBody, gotBody, differences);
        } else {
            compareLines("body", shownBody, gotBody, differences);
        }
    }

    private void compareJson(String path, String field, JsonNode documented, JsonNode actual,
                             List<String> differences) {
        if (documented.getNodeType() != actual.getNodeType()) {
            differences.add(path + ": documented " + documented.getNodeType() + " " + documented + ", got "
                    + actual.getNodeType() + " " + actual);
            return;
        }
        if (documented.isObject()) {
            List<String> shownNames = new ArrayList<>();
            documented.fieldNames().forEachRemaining(shownNames::add);
            List<String> gotNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(gotNames::add);
            if (!shownNames.equals(gotNames)) {
                differences.add(path + ": documented fields " + shownNames + ", got " + gotNames);
            }
            for (String name : shownNames) {
                if (actual.has(name)) {
                    compareJson(path + "." + name, name, documented.get(name), actual.get(name), differences);
                }
            }
        } else if (documented.isArray()) {
            if (documented.size() != actual.size()) {
                differences.add(path + ": documented " + documented.size() + " items, got " + actual.size());
            }
            for (int i = 0; i < Math.min(documented.size(), actual.size()); i++) {
                compareJson(path + "[" + i + "]", null, documented.get(i), actual.get(i), differences);
            }
        } else if ("sent_at".equals(field) || "created_at".equals(field) || "at".equals(field)
                || "last_seen".equals(field) || "edited_at".equals(field)) {
            long now = Instant.now().getEpochSecond();
            if (!actual.canConvertToExactIntegral() || actual.asLong() < startedAt - CLOCK_SLACK_SECONDS
                    || actual.asLong() > now + CLOCK_SLACK_SECONDS) {
                differences.add(path + ": expected Unix seconds of this run, got " + actual);
            }
        } else if ("expires_at".equals(field)) {
            long now = Instant.now().getEpochSecond();
            if (!actual.canConvertToExactIntegral() || actual.asLong() < startedAt - CLOCK_SLACK_SECONDS
                    || actual.asLong() > now + DAY_SECONDS + CLOCK_SLACK_SECONDS) {
                differences.add(path + ": expected Unix seconds from this run to a day after it, got " + actual);
            }
        } else if (documented.isTextual()) {
            compareText(path, documented.asText(), actual.asText(), differences);
        } else if (!documented.asText().equals(actual.asText())) {
            differences.add(path + ": documented " + documented + ", got " + actual);
        }
    }

    private void compareLines(String what, String documented, String actual, List<String> differences) {
        List<String> shown = documented.lines().map(String::stripTrailing).toList();
        List<String> got = actual.lines().map(String::stripTrailing).toList();
        if (shown.size() != got.size()) {
            differences.add(what + ": documented " + shown.size() + " line(s), got " + got.size() + ": " + actual);
        }
        for (int i = 0; i < Math.min(shown.size(), got.size()); i++) {
            compareLine(what + " line " + (i + 1), shown.get(i), got.get(i), differences);
        }
    }

    /**
     * A line that ends in a JSON object (an answer printed by curl, or an event's {@code data: {...}}) is compared
     * as JSON after an equal prefix; any other line as text.
     */
    private void compareLine(String path, String documented, String actual, List<String> differences) {
        int brace = documented.indexOf('{');
        if (brace >= 0 && documented.endsWith("}") && actual.length() > brace
                && actual.startsWith(documented.substring(0, brace))) {
            try {
                JsonNode shownJson = JSON.readTree(documented.substring(brace));
                JsonNode gotJson = JSON.readTree(actual.substring(brace));
                compareJson(path, null, shownJson, gotJson, differences);
                return;
            } catch (IOException notJson) {
                // compared as text below
            }
        }
        compareText(path, documented, actual, differences);
    }

    /**
     * Equal text, except that each documented UUID may be any UUID, consistently mapped, and each documented time of
     * day any time of this run.
     */
    private void compareText(String path, String documented, String actual, List<String> differences) {
        Matcher shown = MADE_UP.matcher(documented);
        Matcher got = MADE_UP.matcher(actual);
        int shownAt = 0;
        int gotAt = 0;
        while (shown.find()) {
            boolean uuid = UUID.matcher(shown.group()).matches();
            if (!got.find() || uuid != UUID.matcher(got.group()).matches()
                    || !documented.substring(shownAt, shown.start()).equals(actual.substring(gotAt, got.start()))) {
                differences.add(path + ": documented '" + documented + "', got '" + actual + "'");
                return;
            }
            if (uuid) {
                mapId(path, shown.group(), got.group(), differences);
            } else if (!duringThisRun(LocalTime.parse(got.group()))) {
                differences.add(path + ": expected a time of this run, got " + got.group());
            }
            shownAt = shown.end();
            gotAt = got.end();
        }
        if (!documented.substring(shownAt).equals(actual.substring(gotAt))) {
            differences.add(path + ": documented '" + documented + "', got '" + actual + "'");
        }
    }

    private boolean duringThisRun(LocalTime time) {
        ZoneId zone = ZoneId.systemDefault();
        LocalTime from = Instant.ofEpochSecond(startedAt - CLOCK_SLACK_SECONDS).atZone(zone).toLocalTime();
        LocalTime to = Instant.now().plusSeconds(CLOCK_SLACK_SECONDS).atZone(zone).toLocalTime();
        return from.isAfter(to)
                ? !time.isBefore(from) || !time.isAfter(to)
                : !time.isBefore(from) && !time.isAfter(to);
    }

    private void mapId(String path, String documented, String actual, List<String> differences) {
        String known = actualByDocumented.get(documented);
        if (known != null && !known.equals(actual)) {
            differences.add(path + ": documented the same id as before (" + documented + " was " + known
                    + "), got " + actual);
            return;
        }
        String other = documentedByActual.get(actual);
        if (other != null && !other.equals(documented)) {
            differences.add(path + ": got id " + actual + " again, where the document shows a different one ("
                    + documented + ", not " + other + ")");
            return;
        }
        actualByDocumented.put(documented, actual);
        documentedByActual.put(actual, documented);
    }
}

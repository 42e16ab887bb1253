import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fuzzer needs of {@code openapi/chat.yaml}: its operations (path, method, the JSON body's schema and
 * the query and header parameters) and its schemas' fields (type, format, minimum, required). Read with a small
 * YAML reader for the subset the spec is written in: block mappings and sequences by indentation, flow sequences
 * and mappings of scalars, quoted and plain scalars, block scalars ({@code |}, {@code >}) and comments. No
 * dependency, because the bench is compiled with the JDK alone.
 */
final class Spec {

    /** A field of a schema; {@code items} is the element type of an array, {@code ref} a schema it refers to. */
    record Field(String name, String type, String format, String items, String ref, Long minimum, boolean required) {
    }

    /** An operation: its parameters are names by place ({@code query}, {@code header}). */
    record Operation(String path, String method, String body, List<Field> query, List<Field> headers) {
    }

    final List<Operation> operations = new ArrayList<>();
    final Map<String, List<Field>> schemas = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    static Spec read(Path file) throws IOException {
        Map<String, Object> doc = (Map<String, Object>) new Yaml(Files.readAllLines(file)).document();
        Map<String, Object> components = map(doc.get("components"));
        Spec spec = new Spec();
        map(components.get("schemas")).forEach((name, s) -> spec.schemas.put(name, fields(map(s))));
        Map<String, Object> bodies = map(components.get("requestBodies"));
        Map<String, Object> parameters = map(components.get("parameters"));
        map(doc.get("paths")).forEach((path, p) -> map(p).forEach((method, o) -> {
            Map<String, Object> op = map(o);
            String body = null;
            Object rb = op.get("requestBody");
            if (rb != null) {
                Map<String, Object> b = map(rb).containsKey("$ref") ? map(bodies.get(last(map(rb).get("$ref"))))
                        : map(rb);
                Object ref = map(map(map(b.get("content")).get("application/json")).get("schema")).get("$ref");
                body = ref == null ? null : last(ref);
            }
            List<Field> query = new ArrayList<>();
            List<Field> headers = new ArrayList<>();
            for (Object item : list(op.get("parameters"))) {
                Map<String, Object> param = map(item).containsKey("$ref")
                        ? map(parameters.get(last(map(item).get("$ref")))) : map(item);
                Map<String, Object> schema = map(param.get("schema"));
                Field f = new Field((String) param.get("name"), (String) schema.get("type"),
                        (String) schema.get("format"), null, null, number(schema.get("minimum")), false);
                ("query".equals(param.get("in")) ? query : headers).add(f);
            }
            spec.operations.add(new Operation(path, method.toUpperCase(java.util.Locale.ROOT), body, query, headers));
        }));
        return spec;
    }

    private static List<Field> fields(Map<String, Object> schema) {
        List<Object> required = list(schema.get("required"));
        List<Field> fields = new ArrayList<>();
        map(schema.get("properties")).forEach((name, p) -> {
            Map<String, Object> prop = map(p);
            Object items = map(prop.get("items")).get("type");
            Object ref = prop.get("$ref");
            fields.add(new Field(name, (String) prop.get("type"), (String) prop.get("format"), (String) items,
                    ref == null ? null : last(ref), number(prop.get("minimum")), required.contains(name)));
        });
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String last(Object ref) {
        String s = String.valueOf(ref);
        return s.substring(s.lastIndexOf('/') + 1);
    }

    private static Long number(Object o) {
        return o == null ? null : Long.valueOf(o.toString());
    }

    /** The YAML subset, read into maps, lists and strings. */
    private static final class Yaml {
        private record Line(int indent, String text) {
        }

        private final List<Line> lines = new ArrayList<>();
        private int at;

        Yaml(List<String> raw) {
            for (int i = 0; i < raw.size(); i++) {
                String line = raw.get(i);
                String text = uncomment(line).strip();
                if (text.isEmpty()) {
                    continue;
                }
                int indent = line.indexOf(text.charAt(0));
                lines.add(new Line(indent, text));
                if (text.endsWith(": |") || text.endsWith(": >") || text.matches(".*: [|>][-+0-9]*")) {
                    // a block scalar: its lines are the value, whatever they look like
                    StringBuilder value = new StringBuilder();
                    while (i + 1 < raw.size() && (raw.get(i + 1).isBlank()
                            || raw.get(i + 1).length() - raw.get(i + 1).stripLeading().length() > indent)) {
                        value.append(raw.get(++i).strip()).append('\n');
                    }
                    lines.set(lines.size() - 1, new Line(indent, text.substring(0, text.lastIndexOf(':') + 1)
                            + " " + quote(value.toString())));
                }
            }
        }

        Object document() {
            return lines.isEmpty() ? null : block(lines.get(0).indent());
        }

        private Object block(int indent) {
            return lines.get(at).text().startsWith("- ") || lines.get(at).text().equals("-")
                    ? sequence(indent) : mapping(indent);
        }

        private Map<String, Object> mapping(int indent) {
            Map<String, Object> m = new LinkedHashMap<>();
            while (at < lines.size() && lines.get(at).indent() == indent && !lines.get(at).text().startsWith("- ")) {
                String text = lines.get(at++).text();
                int colon = keyEnd(text);
                String key = scalar(text.substring(0, colon));
                String rest = text.substring(colon + 1).strip();
                if (!rest.isEmpty()) {
                    m.put(key, flow(rest));
                } else if (at < lines.size() && (lines.get(at).indent() > indent
                        || lines.get(at).indent() == indent && lines.get(at).text().startsWith("- "))) {
                    m.put(key, block(lines.get(at).indent()));
                } else {
                    m.put(key, null);
                }
            }
            return m;
        }

        private List<Object> sequence(int indent) {
            List<Object> l = new ArrayList<>();
            while (at < lines.size() && lines.get(at).indent() == indent && lines.get(at).text().startsWith("-")) {
                String rest = lines.get(at).text().substring(1).strip();
                if (rest.isEmpty()) {
                    at++;
                    l.add(at < lines.size() && lines.get(at).indent() > indent ? block(lines.get(at).indent()) : null);
                } else if (!rest.startsWith("{") && !rest.startsWith("[") && keyEnd(rest) > 0) {
                    // "- key: value" opens a mapping whose further keys line up with this key
                    int inner = indent + lines.get(at).text().indexOf(rest);
                    lines.set(at, new Line(inner, rest));
                    l.add(mapping(inner));
                } else {
                    at++;
                    l.add(flow(rest));
                }
            }
            return l;
        }

        /** Where a "key:" ends (the colon followed by a space or the line's end), or -1. */
        private static int keyEnd(String text) {
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                    return i;
                }
            }
            return -1;
        }

        /** A flow value: [a, b], {k: v}, or a scalar. */
        private static Object flow(String s) {
            s = s.strip();
            if (s.startsWith("[") && s.endsWith("]")) {
                List<Object> l = new ArrayList<>();
                for (String part : split(s.substring(1, s.length() - 1))) {
                    l.add(flow(part));
                }
                return l;
            }
            if (s.startsWith("{") && s.endsWith("}")) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String part : split(s.substring(1, s.length() - 1))) {
                    int colon = keyEnd(part);
                    m.put(scalar(part.substring(0, colon)), flow(part.substring(colon + 1)));
                }
                return m;
            }
            return scalar(s);
        }

        private static List<String> split(String s) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            char quote = 0;
            int from = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    parts.add(s.substring(from, i));
                    from = i + 1;
                }
            }
            if (!s.substring(from).isBlank()) {
                parts.add(s.substring(from));
            }
            return parts;
        }

        private static String scalar(String s) {
            s = s.strip();
            if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'"))) {
                return s.substring(1, s.length() - 1).replace("''", "'");
            }
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
                return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\n", "\n")
                        .replace("\\\\", "\\");
            }
            return s;
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }

        /** The line without a trailing comment (a # after a space, outside quotes). */
        private static String uncomment(String line) {
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if ((c == '\'' || c == '"') && (i == 0 || " :[{,-".indexOf(line.charAt(i - 1)) >= 0)) {
                    quote = c;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return line.substring(0, i);
                }
            }
            return line;
        }
    }
}

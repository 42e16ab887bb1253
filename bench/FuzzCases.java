import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The fuzzer's requests, each made from its number alone (a {@link Random} seeded with the run's seed and the
 * number), so that any one of them can be made again. Most start from an operation of the spec and a body built
 * from its request schema's fields, valid or nearly: a field missing, of another JSON type, at an extreme (empty,
 * huge, control characters, broken unicode), twice, or unknown. The rest go further: JSON that is huge, deep, cut
 * short or not JSON; bytes that are not UTF-8; odd headers, paths, methods and framings; the stream's query and
 * headers. Every request is complete as framed: the server never has to wait for bytes that will not come (that
 * is the slowloris row's business).
 */
final class FuzzCases {

    /** A request, what it is for the report, and whether its connection must not carry another one. */
    record Case(String what, byte[] bytes, boolean closeAfter) {
    }

    /** JSON written as it stands, valid or not: {@code NaN}, {@code 01}, an unterminated string. */
    private record Raw(String text) {
    }

    /** An object whose keys may repeat. */
    private record Pairs(List<Object[]> pairs) {
    }

    /** Where a string's bytes are replaced by bytes that are not UTF-8, after the body is encoded. */
    private static final String BAD = "@@not-utf8@@";
    private static final byte[][] NOT_UTF8 = {
            {(byte) 0xC3, 0x28}, {(byte) 0xA0, (byte) 0xA1}, {(byte) 0xE2, 0x28, (byte) 0xA1},
            {(byte) 0xF0, 0x28, (byte) 0x8C, (byte) 0xBC}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF},
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
            (byte) 0x80}, {(byte) 0xE0, (byte) 0x80},
    };
    private static final String[] STRINGS = {
            "", " ", "\t", "null", "\u0000", "a\u0000b", "\r\n", "line\nbreak", "\u0007\u001b[31m", "\ud800",
            "\udfff", "x\ud83d", "\uffff", "\ufeff", "\u202eevil", "😀", "e\u0301", "'; DROP TABLE chats; --",
            "<script>alert(1)</script>", "%00", "%s%n%x", "../../etc/passwd", "${jndi:ldap://127.0.0.1/x}",
            "\\", "\"", "{}", "[]", "12", "-1", "true", "   padded   ", "ＡＢＣ",
    };
    private static final String[] METHODS = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO",
            "post", "PROPFIND", "M-SEARCH", "GET\u0000"};
    private static final String[] TYPES = {"text/plain", "application/xml", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/json; charset=latin1",
            "application/json;;;", "*/*", "", "application/", "application/json; charset=\"", "text/event-stream",
            "application/merge-patch+json", "application/json, text/plain"};

    private final Spec spec;
    private final List<Spec.Operation> withBody = new ArrayList<>();
    private final List<Spec.Operation> streams = new ArrayList<>();
    private final List<String> chats;
    private final String host;
    private final long seed;

    FuzzCases(Spec spec, List<String> chats, String host, long seed) {
        this.spec = spec;
        this.chats = chats;
        this.host = host;
        this.seed = seed;
        for (Spec.Operation op : spec.operations) {
            if (op.body() != null) {
                withBody.add(op);
            } else if (!op.query().isEmpty()) {
                streams.add(op);
            }
        }
    }

    /** Request number {@code n}. */
    Case make(long n) {
        Random r = new Random(seed * 1_000_003L + n);
        int family = r.nextInt(100);
        if (family < 45) {
            return body(r);
        } else if (family < 53) {
            return structure(r);
        } else if (family < 61) {
            return bytes(r);
        } else if (family < 73) {
            return headers(r);
        } else if (family < 80) {
            return path(r);
        } else if (family < 86) {
            return method(r);
        } else if (family < 95) {
            return stream(r);
        }
        return framing(r);
    }

    // ---- the families -------------------------------------------------------------------------------------

    /** An operation's body from its schema, with a field or two changed. */
    private Case body(Random r) {
        Spec.Operation op = pick(r, withBody);
        Map<String, Object> body = valid(r, op.body());
        String what = mutate(r, op.body(), body);
        if (r.nextInt(4) == 0) {
            what += "; " + mutate(r, op.body(), body);
        }
        return post(op.path(), json(body), "application/json", op.body() + ": " + what, false);
    }

    private Case structure(Random r) {
        Spec.Operation op = pick(r, withBody);
        String valid = new String(json(valid(r, op.body())), StandardCharsets.UTF_8);
        String what;
        String body;
        switch (r.nextInt(16)) {
            case 0 -> {
                what = "a JSON value that is not an object";
                body = pick(r, List.of("[]", "[1]", "\"text\"", "42", "true", "null", "[{}]", "-0", "1e999"));
            }
            case 1 -> {
                what = "an empty body";
                body = pick(r, List.of("", " ", "\r\n", "\t\t"));
            }
            case 2 -> {
                int cut = r.nextInt(Math.max(1, valid.length() - 1));
                what = "JSON cut at " + cut;
                body = valid.substring(0, cut);
            }
            case 3 -> {
                what = "JSON with trailing characters";
                body = valid + pick(r, List.of("}", "]", "x", ",", " {}", valid, "\u0000", "//c"));
            }
            case 4, 5 -> {
                int depth = pick(r, List.of(64, 1000, 5000, 100_000));
                boolean arrays = r.nextBoolean();
                what = "JSON " + depth + " deep (" + (arrays ? "arrays" : "objects") + ")";
                String open = arrays ? "[" : "{\"a\":";
                String close = arrays ? "]" : "}";
                String deep = open.repeat(depth) + (arrays ? "" : "1") + close.repeat(depth);
                body = r.nextBoolean() ? deep : valid.replaceFirst("\\{", "{\"deep\":" + deep.replace("$", "\\$") + ",");
            }
            case 6 -> {
                int n = pick(r, List.of(1001, 10_000, 90_000));
                what = "New with " + n + " user_ids";
                StringBuilder sb = new StringBuilder("{\"user_ids\":[");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append("\"u").append(i).append('"');
                }
                return post("/chat/New", sb.append("]}").toString().getBytes(StandardCharsets.UTF_8),
                        "application/json", what, false);
            }
            case 7 -> {
                int size = pick(r, List.of(65_537, 900_000, 1_048_577, 2_100_000));
                what = "a Send of " + size + " characters of text";
                body = "{\"chat_id\":\"" + pick(r, chats) + "\",\"user_id\":\"fuzz\",\"text\":\"" + "x".repeat(size) + "\"}";
                return post("/chat/Send", body.getBytes(StandardCharsets.UTF_8), "application/json", what, false);
            }
            case 8 -> {
                int n = pick(r, List.of(1000, 20_000));
                what = n + " unknown keys";
                StringBuilder sb = new StringBuilder(valid.substring(0, valid.length() - 1));
                for (int i = 0; i < n; i++) {
                    sb.append(",\"k").append(i).append("\":").append(i);
                }
                body = sb.append('}').toString();
            }
            case 9 -> {
                what = "a byte-order mark before the JSON";
                body = "\ufeff" + valid;
            }
            case 10 -> {
                what = "JSON with comments, single quotes or bare keys";
                body = pick(r, List.of("/* c */" + valid, valid.replace('"', '\''), valid.replaceAll("\"(\\w+)\":", "$1:"),
                        "{\"user_ids\":[\"a\",],}", "{,}", "{\"a\" 1}", "{\"a\":}"));
            }
            case 11 -> {
                what = "numbers JSON has no room for";
                body = pick(r, List.of("{\"chat_id\":\"" + pick(r, chats) + "\",\"limit\":1e999}",
                        "{\"chat_id\":\"" + pick(r, chats) + "\",\"after\":" + "9".repeat(400) + "}",
                        "{\"chat_id\":\"" + pick(r, chats) + "\",\"before\":-" + "9".repeat(30) + "}",
                        "{\"chat_id\":\"" + pick(r, chats) + "\",\"limit\":0." + "0".repeat(1000) + "1}",
                        "{\"chat_id\":\"" + pick(r, chats) + "\",\"limit\":NaN}",
                        "{\"chat_id\":\"" + pick(r, chats) + "\",\"limit\":-Infinity}"));
                return post(pick(r, List.of("/chat/History", "/chat/Chat/History")),
                        body.getBytes(StandardCharsets.UTF_8), "application/json", what, false);
            }
            case 12 -> {
                what = "a string with escapes JSON does not have";
                body = "{\"chat_id\":\"" + pick(r, chats) + "\",\"user_id\":\"fuzz\",\"text\":\""
                        + pick(r, List.of("\\x41", "\\u12", "\\uZZZZ", "\\", "\\q", "\\ud800\\u0041", "\\udc00")) + "\"}";
                return post("/chat/Send", body.getBytes(StandardCharsets.UTF_8), "application/json", what, false);
            }
            case 13 -> {
                what = "the same key twice";
                body = valid.replaceFirst("\\{", "{\"chat_id\":\"" + pick(r, chats) + "\",");
            }
            case 14 -> {
                what = "a JSON string of 900,000 escapes";
                body = "{\"chat_id\":\"" + pick(r, chats) + "\",\"user_id\":\"fuzz\",\"text\":\""
                        + "\\u00e9".repeat(150_000) + "\"}";
                return post("/chat/Send", body.getBytes(StandardCharsets.UTF_8), "application/json", what, false);
            }
            default -> {
                what = "every field null";
                body = valid.replaceAll(":(\"[^\"]*\"|\\[[^]]*]|-?\\d+)", ":null");
            }
        }
        return post(op.path(), body.getBytes(StandardCharsets.UTF_8), "application/json", op.body() + ": " + what, false);
    }

    /** Bytes that are not UTF-8, in a string or anywhere; bytes flipped; binary noise. */
    private Case bytes(Random r) {
        Spec.Operation op = pick(r, withBody);
        Map<String, Object> body = valid(r, op.body());
        String what;
        byte[] b;
        switch (r.nextInt(4)) {
            case 0 -> {
                String field = pick(r, new ArrayList<>(body.keySet()));
                body.put(field, "a" + BAD + "b");
                what = "bytes that are not UTF-8 in " + field;
                b = json(body);
            }
            case 1 -> {
                b = json(body);
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                what = flips + " bytes changed at random";
            }
            case 2 -> {
                b = new byte[1 + r.nextInt(4096)];
                r.nextBytes(b);
                what = b.length + " random bytes";
            }
            default -> {
                byte[] valid = json(body);
                byte[] bad = pick(r, List.of(NOT_UTF8));
                int at = r.nextInt(valid.length + 1);
                b = concat(slice(valid, 0, at), bad, slice(valid, at, valid.length));
                what = "bytes that are not UTF-8 at offset " + at;
            }
        }
        return post(op.path(), b, "application/json", op.body() + ": " + what, false);
    }

    private Case headers(Random r) {
        Spec.Operation op = pick(r, withBody);
        byte[] body = json(valid(r, op.body()));
        String type = "application/json";
        List<String> extra = new ArrayList<>();
        String what;
        boolean close = false;
        switch (r.nextInt(14)) {
            case 0 -> {
                type = pick(r, List.of(TYPES));
                what = "Content-Type: " + type;
            }
            case 1 -> {
                type = null;
                what = "no Content-Type";
            }
            case 2 -> {
                int size = pick(r, List.of(4_000, 9_000, 40_000, 70_000));
                extra.add("X-Fuzz: " + "h".repeat(size));
                what = "a header of " + size + " bytes";
            }
            case 3 -> {
                int n = pick(r, List.of(100, 500));
                for (int i = 0; i < n; i++) {
                    extra.add("X-Fuzz-" + i + ": " + i);
                }
                what = n + " headers";
            }
            case 4 -> {
                String h = pick(r, List.of("Origin: http://evil.example", "Origin: null", "Origin: ",
                        "Origin: http://127.0.0.1:1", "Origin: \u00ff\u00fe"));
                extra.add(h);
                what = h;
            }
            case 5 -> {
                String h = pick(r, List.of("Authorization: Bearer x", "Authorization: Bearer " + "a.b.c".repeat(2000),
                        "Authorization: Basic Zm9vOmJhcg==", "Authorization: Bearer eyJhbGciOiJub25lIn0.e30.",
                        "Cookie: chat_session=garbage", "Cookie: chat_session=" + "x".repeat(5000), "Authorization:"));
                extra.add(h);
                what = h.length() > 60 ? h.substring(0, 60) + "…" : h;
            }
            case 6 -> {
                String ns = pick(r, List.of("", " ", "a b", "x".repeat(65), "x".repeat(3000), "../etc", "ünï",
                        "micro", "tenant-1", "a\u0001b", "Micro.Ns_1"));
                extra.add("micro-namespace: " + ns);
                what = "micro-namespace: " + (ns.length() > 20 ? ns.length() + " characters" : ns);
            }
            case 7 -> {
                String h = pick(r, List.of("Content-Encoding: gzip", "Content-Encoding: br", "Expect: 100-continue",
                        "Expect: tea", "Accept: application/xml", "Accept: text/html;q=0", "Accept-Charset: ebcdic",
                        "Connection: close", "Connection: upgrade\r\nUpgrade: h2c", "Upgrade: websocket",
                        "X-Forwarded-Host: evil.example", "X-Forwarded-Proto: gopher", "Range: bytes=0-1"));
                extra.add(h);
                what = h.replace("\r\n", "; ");
            }
            case 8 -> {
                String h = pick(r, List.of("Bad Name: x", "NoColon", ": empty-name", "X-Nul: a\u0000b",
                        "X-Bytes: \u00ff\u0080", "X-Fold: a\r\n  folded", "x-fuzz:value-without-space",
                        "X-Tab:\tvalue", "Host: other.example"));
                extra.add(h);
                what = "header " + h.replace("\r\n", "\\r\\n").replace("\u0000", "\\0");
                close = true;
            }
            case 9 -> {
                return chunked(r, op, body, "valid chunks", false);
            }
            case 10 -> {
                return chunked(r, op, body, pick(r, List.of("bad chunk size", "chunk extension",
                        "chunked and Content-Length", "chunked twice")), true);
            }
            case 11 -> {
                what = "no Host header";
                byte[] head = ("POST " + op.path() + " HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                return new Case(what, concat(head, body), true);
            }
            case 12 -> {
                what = "two Content-Length headers";
                byte[] head = ("POST " + op.path() + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json"
                        + "\r\nContent-Length: " + body.length + "\r\nContent-Length: " + (body.length + r.nextInt(3) - 1)
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                return new Case(what, concat(head, body), true);
            }
            default -> {
                String h = pick(r, List.of("Content-Length: -1", "Content-Length: abc", "Content-Length: 1e3",
                        "Content-Length: 99999999999999999999", "Content-Length:  " + body.length + " "));
                what = h;
                byte[] head = ("POST " + op.path() + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json"
                        + "\r\n" + h + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                return new Case(what, concat(head, body), true);
            }
        }
        return request("POST", op.path(), body, type, extra, op.body() + " with " + what, close);
    }

    private Case chunked(Random r, Spec.Operation op, byte[] body, String how, boolean close) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "POST " + op.path() + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n" + (how.equals("chunked and Content-Length") ? "Content-Length: "
                + body.length + "\r\n" : "") + (how.equals("chunked twice") ? "Transfer-Encoding: chunked\r\n" : "")
                + "\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        int at = 0;
        while (at < body.length) {
            int n = Math.min(body.length - at, 1 + r.nextInt(64));
            String size = how.equals("bad chunk size") && at == 0 ? "zz" : Integer.toHexString(n);
            String ext = how.equals("chunk extension") ? ";name=\"v\u0001\"" : "";
            out.writeBytes((size + ext + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            at += n;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return new Case(op.body() + " in chunks: " + how, out.toByteArray(), close);
    }

    private Case path(Random r) {
        Spec.Operation op = pick(r, withBody);
        byte[] body = json(valid(r, op.body()));
        String p = op.path();
        String name = p.substring(p.lastIndexOf('/') + 1);
        String path = switch (r.nextInt(16)) {
            case 0 -> "/chat/" + name.toLowerCase(Locale.ROOT);
            case 1 -> p.toUpperCase(Locale.ROOT);
            case 2 -> p + "/";
            case 3 -> p.replace("/chat/", "/chat//");
            case 4 -> p + "/extra";
            case 5 -> "/chat/Chat/Chat/" + name;
            case 6 -> p + "?%zz=%";
            case 7 -> p + "%00";
            case 8 -> "/chat/%2e%2e/" + name;
            case 9 -> "/" + "a/".repeat(pick(r, List.of(100, 3000, 30_000)));
            case 10 -> p + "?" + "a=1&".repeat(pick(r, List.of(100, 5000)));
            case 11 -> "/chat/" + name + ";jsessionid=1";
            case 12 -> "http://" + host + p;
            case 13 -> "*";
            case 14 -> "/chat/Ünïcode/" + name;
            default -> pick(r, List.of("/", "/chat", "/chat/", "/health", "/health/live", "/openapi", "/metrics",
                    "/index.html", "/../../etc/passwd", "/chat/Unknown", "/chat/New.json", "/favicon.ico"));
        };
        return request(pick(r, List.of("POST", "POST", "GET")), path, body, "application/json", List.of(),
                "path " + (path.length() > 60 ? path.substring(0, 60) + "… (" + path.length() + " characters)" : path),
                path.length() > 8000 || path.contains("Ü"));
    }

    private Case method(Random r) {
        Spec.Operation op = pick(r, spec.operations);
        String m = r.nextInt(10) == 0 ? "X".repeat(pick(r, List.of(100, 10_000))) : pick(r, List.of(METHODS));
        byte[] body = op.body() != null && r.nextBoolean() ? json(valid(r, op.body())) : new byte[0];
        return request(m, op.path(), body, body.length > 0 ? "application/json" : null, List.of(),
                (m.length() > 20 ? m.length() + "-letter method" : m.replace("\u0000", "\\0")) + " " + op.path(),
                m.length() > 20 || m.contains("\u0000") || m.equals("HEAD") || m.equals("TRACE"));
    }

    /** The stream (GET Connect): its query and header parameters from the spec, valid or not. */
    private Case stream(Random r) {
        Spec.Operation op = pick(r, streams);
        StringBuilder query = new StringBuilder();
        List<String> headers = new ArrayList<>();
        List<String> what = new ArrayList<>();
        for (Spec.Field f : op.query()) {
            if (r.nextInt(5) == 0) {
                continue;
            }
            String v = param(r, f);
            query.append(query.isEmpty() ? "?" : "&").append(f.name()).append('=').append(v);
            what.add(f.name() + "=" + (v.length() > 24 ? v.length() + " characters" : v));
        }
        for (Spec.Field f : op.headers()) {
            if (r.nextInt(4) == 0) {
                String v = param(r, f);
                headers.add(f.name() + ": " + v);
                what.add(f.name() + ": " + (v.length() > 24 ? v.length() + " characters" : v));
            }
        }
        return request("GET", op.path() + query, new byte[0], null, headers, "GET " + op.path() + " " + what, true);
    }

    /** Request lines and framings HTTP/1.1 does not allow. */
    private Case framing(Random r) {
        Spec.Operation op = pick(r, withBody);
        byte[] body = json(valid(r, op.body()));
        String cl = "Content-Length: " + body.length;
        String h = "Host: " + host;
        String[][] heads = {
                {"HTTP/1.0", "POST " + op.path() + " HTTP/1.0\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"HTTP/2.0 in the request line", "POST " + op.path() + " HTTP/2.0\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"HTTP/9.9", "POST " + op.path() + " HTTP/9.9\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"no version", "POST " + op.path() + "\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"spaces in the request line", "POST  " + op.path() + "  HTTP/1.1\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"lowercase version", "POST " + op.path() + " http/1.1\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"LF line ends", "POST " + op.path() + " HTTP/1.1\n" + h + "\n" + cl + "\n\n"},
                {"a space before the first header", "POST " + op.path() + " HTTP/1.1\r\n " + h + "\r\n" + cl + "\r\n\r\n"},
                {"an empty line first", "\r\nPOST " + op.path() + " HTTP/1.1\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"a request line of 70,000 bytes", "POST " + op.path() + "?" + "q".repeat(70_000) + " HTTP/1.1\r\n" + h
                        + "\r\n" + cl + "\r\n\r\n"},
                {"a tab for the space", "POST\t" + op.path() + "\tHTTP/1.1\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
                {"a NUL in the request line", "POST " + op.path() + "\u0000 HTTP/1.1\r\n" + h + "\r\n" + cl + "\r\n\r\n"},
        };
        String[] pick = pick(r, List.of(heads));
        byte[] head = pick[1].getBytes(StandardCharsets.ISO_8859_1);
        return new Case("framing: " + pick[0], concat(head, body), true);
    }

    // ---- bodies from the schemas ----------------------------------------------------------------------------

    /** A body every field of which is valid (the ids real ones, mostly). */
    private Map<String, Object> valid(Random r, String schema) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Spec.Field f : spec.schemas.get(schema)) {
            if (f.required() || r.nextInt(3) > 0) {
                body.put(f.name(), value(r, f));
            }
        }
        return body;
    }

    private Object value(Random r, Spec.Field f) {
        switch (f.name()) {
            case "chat_id" -> {
                return r.nextInt(10) == 0 ? java.util.UUID.randomUUID().toString() : pick(r, chats);
            }
            case "user_id" -> {
                return r.nextBoolean() ? Ledger.SENDER : "fuzz-" + r.nextInt(20);
            }
            case "client_id" -> {
                return "fuzz-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
            }
            default -> {
                // by type, as the schema says
            }
        }
        return switch (String.valueOf(f.type())) {
            case "integer" -> (f.minimum() == null ? 0L : f.minimum().longValue()) + r.nextInt(100);
            case "boolean" -> r.nextBoolean();
            case "array" -> {
                List<Object> items = new ArrayList<>();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    items.add("string".equals(f.items()) ? "fuzz-" + r.nextInt(30) : (Object) (long) r.nextInt(9));
                }
                yield items;
            }
            default -> "fuzz text " + r.nextInt(1000);
        };
    }

    /** Changes the body: a field missing, of another type, at an extreme, twice, or one the schema lacks. */
    private String mutate(Random r, String schema, Map<String, Object> body) {
        List<Spec.Field> fields = spec.schemas.get(schema);
        Spec.Field f = pick(r, fields);
        switch (r.nextInt(8)) {
            case 0 -> {
                body.remove(f.name());
                return "without " + f.name();
            }
            case 1, 2 -> {
                Object wrong = wrongType(r, f);
                body.put(f.name(), wrong);
                return f.name() + " = " + describe(wrong);
            }
            case 3, 4 -> {
                Object extreme = extreme(r, f);
                body.put(f.name(), extreme);
                return f.name() + " = " + describe(extreme);
            }
            case 5 -> {
                body.put("unknown_" + r.nextInt(5), pick(r, List.of(1L, "x", List.of(), Map.of(), true)));
                return "an unknown field";
            }
            case 6 -> {
                List<Object[]> pairs = new ArrayList<>();
                body.forEach((k, v) -> pairs.add(new Object[]{k, v}));
                pairs.add(new Object[]{f.name(), value(r, f)});
                body.clear();
                body.put("", new Pairs(pairs)); // written as the pairs themselves
                return f.name() + " twice";
            }
            default -> {
                return "valid";
            }
        }
    }

    private Object wrongType(Random r, Spec.Field f) {
        List<Object> wrong = new ArrayList<>(List.of(42L, -1L, 1.5, true, false, List.of(), Map.of(), "12",
                List.of(1L, 2L), Map.of("a", 1L), new Raw("1e400"), BigInteger.TEN.pow(25), new Raw("-0"),
                new Raw("0x10"), new Raw("01"), 0L));
        wrong.add(null);
        if ("string".equals(f.type())) {
            wrong.removeIf(v -> v instanceof String);
        }
        if ("integer".equals(f.type())) {
            wrong.removeIf(v -> v instanceof Long);
        }
        return pick(r, wrong);
    }

    private Object extreme(Random r, Spec.Field f) {
        return switch (String.valueOf(f.type())) {
            case "integer" -> pick(r, List.of(-1L, 0L, (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE,
                    Long.MIN_VALUE, BigInteger.TWO.pow(64), 1000L, 1001L, 1_000_000L));
            case "array" -> pick(r, List.of(List.of(), List.of(""), List.of(" "), List.of("a", "a", "a"),
                    List.of("\u0000"), List.of("x".repeat(256)), List.of("\ud800"), List.of(pick(r, List.of(STRINGS)))));
            case "boolean" -> pick(r, List.of("true", 1L, new Raw("tru")));
            default -> r.nextInt(4) == 0
                    ? pick(r, List.of("x".repeat(256), "x".repeat(1025), "é".repeat(40_000), "😀".repeat(20_000),
                    "x".repeat(65_537), "\n".repeat(5000)))
                    : pick(r, List.of(STRINGS));
        };
    }

    private String param(Random r, Spec.Field f) {
        if (f.name().equals("chat_id") || f.name().equals("chat-id")) {
            return pick(r, List.of(pick(r, chats), pick(r, chats), "", "nope", "%00", "%zz", "x".repeat(300),
                    java.util.UUID.randomUUID().toString(), "%E2%80%AE", "' OR 1=1"));
        }
        return switch (String.valueOf(f.type())) {
            case "integer" -> pick(r, List.of("0", "1", "-1", "abc", "1e3", "99999999999999999999", "%20", "",
                    "1.0", "2147483648", "9223372036854775807"));
            case "boolean" -> pick(r, List.of("true", "false", "maybe", "1", "", "TRUE"));
            default -> pick(r, List.of(Ledger.SENDER, "fuzz-1", "", "%00", "%0d%0a", "x".repeat(300), "%FF%FE",
                    "Ünï", "a%20b", "<b>"));
        };
    }

    // ---- writing requests ---------------------------------------------------------------------------------

    private Case post(String path, byte[] body, String type, String what, boolean close) {
        return request("POST", path, body, type, List.of(), what, close);
    }

    private Case request(String method, String path, byte[] body, String type, List<String> headers, String what,
                         boolean close) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body.length > 0 || method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        return new Case(what, concat(h, body), close);
    }

    /** The body as bytes: UTF-8, with {@link #BAD} replaced by bytes that are not. */
    private static byte[] json(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = BAD.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + bad.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + bad.length, bad, 0, bad.length)) {
                return concat(slice(b, 0, i), NOT_UTF8[i % NOT_UTF8.length], slice(b, i + bad.length, b.length));
            }
        }
        return b;
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Raw raw) {
            sb.append(raw.text());
        } else if (v instanceof String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20 || Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                        && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))) {
                    sb.append(String.format("\\u%04x", (int) c)); // a lone surrogate only as an escape
                } else if (Character.isHighSurrogate(c)) {
                    sb.append(c).append(s.charAt(++i));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        } else if (v instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("") instanceof Pairs pairs) {
                write(sb, pairs);
                return;
            }
            List<Object[]> pairs = new ArrayList<>();
            m.forEach((k, x) -> pairs.add(new Object[]{k, x}));
            write(sb, new Pairs(pairs));
        } else if (v instanceof Pairs pairs) {
            sb.append('{');
            for (int i = 0; i < pairs.pairs().size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(sb, String.valueOf(pairs.pairs().get(i)[0]));
                sb.append(':');
                write(sb, pairs.pairs().get(i)[1]);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(sb, l.get(i));
            }
            sb.append(']');
        } else {
            sb.append(v);
        }
    }

    private static String describe(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        String s = sb.toString();
        return s.length() > 40 ? s.substring(0, 30) + "… (" + s.length() + " characters)" : s;
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

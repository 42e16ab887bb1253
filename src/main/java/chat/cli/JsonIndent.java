package chat.cli;

import java.io.ByteArrayOutputStream;

/**
 * Lays out a JSON answer as the original service's CLI printed it: one member or element per line, indented with
 * tabs, {@code "name": value}, and empty objects and arrays kept as {@code {}} and {@code []} (the layout of Go's
 * {@code json.Indent} with a tab). Only whitespace between tokens changes: names, strings with their escapes and
 * numbers keep the service's bytes, and members keep the service's order, so nothing the service answered is
 * dropped, reordered or re-encoded, including fields this client does not know yet.
 */
public final class JsonIndent {

    private JsonIndent() {
    }

    /** The indented form of one JSON text (which must be valid JSON), without a line break at the end. */
    public static byte[] indent(byte[] json) {
        var out = new ByteArrayOutputStream(json.length * 2);
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean opened = false;
        for (byte b : json) {
            if (inString) {
                out.write(b);
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            }
            if (opened && b != '}' && b != ']') {
                opened = false;
                depth++;
                newline(out, depth);
            }
            switch (b) {
                case '"' -> {
                    inString = true;
                    out.write(b);
                }
                case '{', '[' -> {
                    opened = true;
                    out.write(b);
                }
                case ',' -> {
                    out.write(b);
                    newline(out, depth);
                }
                case ':' -> {
                    out.write(b);
                    out.write(' ');
                }
                case '}', ']' -> {
                    if (opened) {
                        opened = false;
                    } else {
                        depth--;
                        newline(out, depth);
                    }
                    out.write(b);
                }
                default -> out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static void newline(ByteArrayOutputStream out, int depth) {
        out.write('\n');
        for (int i = 0; i < depth; i++) {
            out.write('\t');
        }
    }
}

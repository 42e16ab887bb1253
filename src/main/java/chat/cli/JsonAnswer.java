package chat.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.io.PrintStream;

/** What the JSON commands share: make the call, print the service's answer indented (see {@link JsonIndent}). */
final class JsonAnswer {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonAnswer() {
    }

    /** Runs the call and prints its answer on stdout; failures reach {@link Cli}, which maps them to exit statuses. */
    static int print(ChatCommand chat, Service.Call call) throws ServiceError, Unreachable {
        byte[] answer = chat.service().call(call);
        print(chat.io().out(), answer);
        return Cli.OK;
    }

    /** JSON indented, anything else (an answer that is not JSON, say a proxy's page) as it came. */
    static void print(PrintStream out, byte[] body) {
        byte[] shown = isJson(body) ? JsonIndent.indent(body) : body;
        out.write(shown, 0, shown.length);
        if (shown.length == 0 || shown[shown.length - 1] != '\n') {
            out.write('\n');
        }
        out.flush();
    }

    static boolean isJson(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}

package chat.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The wire text of a batch of signals, the same on both transports: the sending instance's id, then one
 * {@code kind:chat:seq} per signal, separated by spaces, for example
 * {@code 3f2a9c1e e:4ba0e171-9242-4515-8125-2d6e5b5d24c4:17}. Signals of one kind and chat are coalesced to the
 * newest seq, since "changed up to 17" implies "up to 16". A text that would not fit {@code maxBytes} (a NOTIFY
 * payload must stay under 8,000 bytes) becomes the marker {@code <instance> *}: "many chats changed", upon which
 * receivers catch up every chat they have streams for. A signal with a payload (an ephemeral one) carries it as a
 * fourth field, base64url, and is never coalesced: {@code x:<chat>:0:<payload>}; an older receiver skips it.
 */
public final class SignalCodec {

    /** What a received text says: who sent it, and either its signals or that many chats changed. */
    public record Decoded(String instance, boolean many, List<Signal> signals) {
    }

    static final String MANY = "*";
    private static final Base64.Encoder PAYLOAD_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SignalCodec() {
    }

    /** The newest seq per kind and chat, in the order first seen. */
    public static List<Signal> coalesce(Collection<Signal> signals) {
        Map<String, Signal> newest = new LinkedHashMap<>();
        for (Signal signal : signals) {
            if (signal.payload() != null) {
                newest.put(signal.kind() + ':' + signal.chatId() + ':' + newest.size(), signal);
                continue;
            }
            newest.merge(signal.kind() + ':' + signal.chatId(), signal,
                    (a, b) -> a.seq() >= b.seq() ? a : b);
        }
        return List.copyOf(newest.values());
    }

    /** The text for these signals (coalesced), or the "many changed" marker when it would exceed {@code maxBytes}. */
    public static String encode(String instance, Collection<Signal> signals, int maxBytes) {
        var text = new StringBuilder(instance);
        for (Signal signal : coalesce(signals)) {
            text.append(' ').append(signal.kind()).append(':').append(signal.chatId()).append(':').append(signal.seq());
            if (signal.payload() != null) {
                text.append(':').append(PAYLOAD_ENCODER.encodeToString(signal.payload().getBytes(StandardCharsets.UTF_8)));
            }
            if (text.length() > maxBytes) {
                return encodeMany(instance);
            }
        }
        // kinds are ASCII words, ids hex and digits: characters and bytes are the same count, except in an instance id
        return text.toString().getBytes(StandardCharsets.UTF_8).length > maxBytes ? encodeMany(instance)
                : text.toString();
    }

    /** The "many changed" marker: every receiver catches up every chat it has streams for. */
    public static String encodeMany(String instance) {
        return instance + ' ' + MANY;
    }

    /** Reads a text; entries it cannot read (a newer instance's, say) are left out, not fatal. */
    public static Decoded decode(String text) {
        String[] parts = text.trim().split(" ");
        List<Signal> signals = new ArrayList<>();
        boolean many = false;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals(MANY)) {
                many = true;
                continue;
            }
            String[] fields = parts[i].split(":");
            if (fields.length != 3 && fields.length != 4) {
                continue;
            }
            try {
                String payload = fields.length == 4
                        ? new String(Base64.getUrlDecoder().decode(fields[3]), StandardCharsets.UTF_8) : null;
                signals.add(new Signal(fields[0], UUID.fromString(fields[1]), Long.parseLong(fields[2]), payload));
            } catch (IllegalArgumentException unreadable) {
                // not ours to understand
            }
        }
        return new Decoded(parts[0], many, List.copyOf(signals));
    }
}

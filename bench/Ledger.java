import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The Sends a service acknowledged, chat by chat, and the check of what it holds afterwards: every acknowledged
 * message stored once, with the seq it was answered with, and each chat's seqs 1…n with no gap and none twice. A
 * Send whose answer never came (in flight at a kill, cut by a fault) may be stored or not; stored, it must still
 * take its place in the sequence, and it is counted as unacknowledged.
 */
final class Ledger {

    /** The one sender of every chat the fault rows make; each chat's other member names the chat. */
    static final String SENDER = "rel-sender";

    private final Map<String, Map<String, Long>> acked = new ConcurrentHashMap<>();

    /** A message as History answers it. */
    record Stored(String userId, String clientId, long seq, String text) {
    }

    /**
     * What a check found. {@code lost}: acknowledged, not stored; {@code moved}: stored with another seq than
     * acknowledged; {@code duplicates}: a (user, client_id) or a seq stored more than once; {@code gaps}: seqs
     * missing below a chat's newest.
     */
    record Check(long acknowledged, long stored, long lost, long moved, long duplicates, long gaps,
                 long unacknowledged, String example) {
        static final Check NONE = new Check(0, 0, 0, 0, 0, 0, 0, null);

        long losses() {
            return lost + moved + duplicates + gaps;
        }

        Check plus(Check o) {
            return new Check(acknowledged + o.acknowledged, stored + o.stored, lost + o.lost, moved + o.moved,
                    duplicates + o.duplicates, gaps + o.gaps, unacknowledged + o.unacknowledged,
                    example != null ? example : o.example);
        }
    }

    void acknowledged(String chat, String clientId, long seq) {
        acked.computeIfAbsent(chat, c -> new ConcurrentHashMap<>()).put(clientId, seq);
    }

    long count() {
        long n = 0;
        for (Map<String, Long> chat : acked.values()) {
            n += chat.size();
        }
        return n;
    }

    /** Reads the whole history of each chat and holds it against what was acknowledged. */
    Check verify(String base, Collection<String> chats) throws IOException, InterruptedException {
        Check total = Check.NONE;
        for (String chat : chats) {
            total = total.plus(check(chat, history(base, chat)));
        }
        return total;
    }

    private Check check(String chat, List<Stored> stored) {
        Map<String, Long> mine = acked.getOrDefault(chat, Map.of());
        Map<String, Long> byClient = new HashMap<>();
        Set<Long> seqs = new HashSet<>();
        long duplicates = 0;
        long newest = 0;
        String example = null;
        for (Stored m : stored) {
            if (byClient.putIfAbsent(m.userId() + "\n" + m.clientId(), m.seq()) != null | !seqs.add(m.seq())) {
                duplicates++;
                example = example != null ? example : "chat " + chat + ": seq " + m.seq() + " or client_id "
                        + m.clientId() + " stored twice";
            }
            newest = Math.max(newest, m.seq());
        }
        long lost = 0;
        long moved = 0;
        for (Map.Entry<String, Long> e : mine.entrySet()) {
            Long seq = byClient.get(SENDER + "\n" + e.getKey());
            if (seq == null) {
                lost++;
                example = example != null ? example : "chat " + chat + ": acknowledged " + e.getKey() + " (seq "
                        + e.getValue() + ") is not stored";
            } else if (!seq.equals(e.getValue())) {
                moved++;
                example = example != null ? example : "chat " + chat + ": " + e.getKey() + " acknowledged with seq "
                        + e.getValue() + ", stored with " + seq;
            }
        }
        long gaps = newest - seqs.size();
        if (gaps > 0 && example == null) {
            example = "chat " + chat + ": " + gaps + " seqs missing below " + newest;
        }
        long unacknowledged = 0;
        for (String key : byClient.keySet()) {
            String clientId = key.substring(key.indexOf('\n') + 1);
            if (!key.startsWith(SENDER + "\n") || !mine.containsKey(clientId)) {
                unacknowledged++;
            }
        }
        return new Check(mine.size(), stored.size(), lost, moved, duplicates, gaps, unacknowledged, example);
    }

    /** Every message of the chat, oldest first, read in pages of 1,000 with {@code after}. */
    static List<Stored> history(String base, String chat) throws IOException, InterruptedException {
        List<Stored> all = new ArrayList<>();
        long after = 0;
        while (true) {
            Http.Answer a = Http.post(base, "/chat/History",
                    "{\"chat_id\":\"" + chat + "\",\"after\":" + after + ",\"limit\":1000}");
            if (a.status() != 200) {
                throw new IOException("History of " + chat + " answered " + a.status() + ": " + a.body());
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> page = (List<Map<String, Object>>) ((Map<String, Object>) Json.read(a.body()))
                    .get("messages");
            for (Map<String, Object> m : page) {
                long seq = ((Double) m.get("seq")).longValue();
                all.add(new Stored((String) m.get("user_id"), (String) m.get("client_id"), seq, (String) m.get("text")));
                after = Math.max(after, seq);
            }
            if (page.size() < 1000) {
                return all;
            }
        }
    }

    /** The seq of the chat's newest message, 0 when it has none. */
    static long newest(String base, String chat) throws IOException, InterruptedException {
        Http.Answer a = Http.post(base, "/chat/History", "{\"chat_id\":\"" + chat + "\",\"limit\":1}");
        if (a.status() != 200) {
            throw new IOException("History of " + chat + " answered " + a.status() + ": " + a.body());
        }
        return Math.max(0, seqOf(a.body()));
    }

    /**
     * {@code count} new chats of {@link #SENDER} with {@code tag-0}, {@code tag-1}, …; 8 at a time, each tried again
     * (up to 5 times, a second apart) while the service answers 503: a busy machine's pool may keep a New waiting.
     */
    static List<String> newChats(String base, String tag, int count) throws Exception {
        List<String> chats = new ArrayList<>();
        Semaphore inFlight = new Semaphore(8);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String other = tag + "-" + i;
                ids.add(ex.submit(() -> {
                    inFlight.acquire();
                    try {
                        for (int attempt = 1; ; attempt++) {
                            try {
                                return Http.newChat(base, SENDER, other);
                            } catch (IOException e) {
                                if (attempt >= 5 || !e.getMessage().contains("answered 503")) {
                                    throw e;
                                }
                                Thread.sleep(1000);
                            }
                        }
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<String> id : ids) {
                chats.add(id.get());
            }
        }
        return chats;
    }

    /** The seq in a Send's answer, or -1. */
    static long seqOf(String sendAnswer) {
        int at = sendAnswer.lastIndexOf("\"seq\":");
        if (at < 0) {
            return -1;
        }
        long v = 0;
        int digits = 0;
        for (int i = at + 6; i < sendAnswer.length() && Character.isDigit(sendAnswer.charAt(i)); i++, digits++) {
            v = v * 10 + (sendAnswer.charAt(i) - '0');
        }
        return digits > 0 ? v : -1;
    }
}

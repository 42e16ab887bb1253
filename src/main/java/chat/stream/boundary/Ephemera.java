package chat.stream.boundary;

import chat.chats.entity.Chat;
import chat.fleet.Fleet;
import chat.fleet.Signal;
import chat.platform.JsonMapping;
import chat.stream.control.EventFrames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The moments of a chat that are not part of its sequence (issue 14): {@code read} (a member's marker moved),
 * {@code typing} and {@code presence}. They reach streams without an {@code id:} line, so an EventSource's
 * Last-Event-ID stays the seq of the last sequenced event and resume stays exact; a client that was away learns
 * the current state when it connects (the members' markers and presence come first on every stream), not the
 * moments it missed. Other instances hear them as {@link Signal#EPHEMERAL} signals on the fleet's one channel,
 * carrying their small JSON; they never reach the streams of the user they are about.
 *
 * <p>Typing: at most one {@code typing: true} per user and chat per {@code chat.typing.min-interval-millis} is
 * passed on, a stop only after a start, and a start lapses into a stop after {@code chat.typing.lapse-millis}
 * without a refresh. Presence: a user with at least one open stream (of any chat, on any instance) is online; going
 * offline is announced only after {@code chat.presence.debounce-millis} without a stream, so a page reload does
 * not flicker. Each instance keeps which instances hold a user's streams, from their signals.
 *
 * <p>An instance that dies cannot say that its users left. So every instance says it is alive every
 * {@code chat.presence.heartbeat-millis}; one that has not been heard of for three of those is forgotten, and its
 * users go offline here unless another instance holds a stream of theirs. An instance heard of for the first time
 * (a newcomer, or one back from silence) is asked to tell again of the users whose streams it holds, so that every
 * instance knows who is online, whenever it started. A user offline everywhere is remembered
 * (for the {@code last_seen} of a connecting stream's greeting) for {@code chat.presence.remember-millis}, then
 * forgotten, so that the map of users does not grow with every user ever seen.
 */
@ApplicationScoped
public class Ephemera {

    /** The pseudo-chat that presence signals ride: every instance follows it. */
    public static final UUID EVERYONE = new UUID(0, 0);

    private static final Logger LOG = Logger.getLogger(Ephemera.class.getName());
    private static final ObjectMapper JSON = JsonMapping.create();

    @Inject
    Subscribers subscribers;

    @Inject
    Fleet fleet;

    @Inject
    @Named("chat")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "chat.typing.lapse-millis", defaultValue = "6000")
    long typingLapseMillis;

    @Inject
    @ConfigProperty(name = "chat.typing.min-interval-millis", defaultValue = "1000")
    long typingIntervalMillis;

    @Inject
    @ConfigProperty(name = "chat.presence.debounce-millis", defaultValue = "2000")
    long presenceDebounceMillis;

    @Inject
    @ConfigProperty(name = "chat.presence.heartbeat-millis", defaultValue = "5000")
    long heartbeatMillis;

    @Inject
    @ConfigProperty(name = "chat.presence.remember-millis", defaultValue = "86400000")
    long rememberMillis;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ephemera").factory());

    private record Typist(UUID chatId, String userId) {
    }

    private static final class Typing {
        boolean typing;
        long passedNanos;
        ScheduledFuture<?> lapse;
    }

    private record Person(String namespace, String userId) {
    }

    private static final class Presence {
        int local;
        final Set<String> remote = new HashSet<>();
        boolean online;
        long lastSeen;
        ScheduledFuture<?> goingOffline;
    }

    // guarded by this
    private final Map<Typist, Typing> typists = new HashMap<>();
    private final Map<Person, Presence> people = new HashMap<>();
    /** The other instances, with when they were last heard of ({@code nanoTime}). */
    private final Map<String, Long> instancesHeard = new HashMap<>();

    @PostConstruct
    void begin() {
        if (heartbeatMillis > 0) {
            timer.scheduleWithFixedDelay(this::beat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Tells the other instances this one is alive; forgets those not heard of lately, and long-gone users. */
    private void beat() {
        try {
            ObjectNode alive = JSON.createObjectNode().put("event", "instance-alive").put("instance", fleet.instance());
            fleet.ephemeral(Signal.ephemeral(EVERYONE, JsonMapping.text(alive)));
            forgetSilentInstances(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "presence: a heartbeat failed; the next one tries again", e);
        }
    }

    private void forgetSilentInstances(long now) {
        List<Person> wentOffline = new ArrayList<>();
        long lastSeen = Instant.now().getEpochSecond();
        long forgetAfter = TimeUnit.MILLISECONDS.toNanos(3 * heartbeatMillis);
        long rememberUntil = lastSeen - TimeUnit.MILLISECONDS.toSeconds(rememberMillis);
        synchronized (this) {
            Set<String> silent = new HashSet<>();
            instancesHeard.entrySet().removeIf(heard -> now - heard.getValue() > forgetAfter
                    && silent.add(heard.getKey()));
            for (var entry : people.entrySet()) {
                Presence presence = entry.getValue();
                if (!silent.isEmpty() && presence.remote.removeAll(silent) && presence.online && !held(presence)) {
                    presence.online = false;
                    presence.lastSeen = lastSeen;
                    wentOffline.add(entry.getKey());
                }
            }
            people.values().removeIf(presence -> !presence.online && !held(presence)
                    && presence.lastSeen < rememberUntil);
            if (!silent.isEmpty()) {
                LOG.info(() -> "presence: no word from instance(s) " + silent + " for " + 3 * heartbeatMillis
                        + " ms; their users are offline here unless another instance holds their streams");
            }
        }
        wentOffline.forEach(person -> announce(person, false));
    }

    /** Whether a stream of this user is open on any instance, or closed here within the debounce. */
    private static boolean held(Presence presence) {
        return presence.local > 0 || presence.goingOffline != null || !presence.remote.isEmpty();
    }

    /** A member's read marker moved: the other members' streams receive {@code event: read}. */
    public void read(UUID chatId, String userId, long seq) {
        ObjectNode data = JSON.createObjectNode().put("chat_id", chatId.toString()).put("user_id", userId)
                .put("seq", seq);
        publish(chatId, "read", userId, data);
    }

    /** A member types (or stopped): passed on within the limits above. */
    public void typing(UUID chatId, String userId, boolean typing) {
        Typist typist = new Typist(chatId, userId);
        boolean pass;
        synchronized (this) {
            Typing state = typists.computeIfAbsent(typist, k -> new Typing());
            long now = System.nanoTime();
            if (state.lapse != null) {
                state.lapse.cancel(false);
                state.lapse = null;
            }
            if (typing) {
                pass = !state.typing || now - state.passedNanos >= TimeUnit.MILLISECONDS.toNanos(typingIntervalMillis);
                state.lapse = timer.schedule(() -> lapse(typist), typingLapseMillis, TimeUnit.MILLISECONDS);
            } else {
                pass = state.typing;
                typists.remove(typist);
            }
            if (pass) {
                state.typing = typing;
                state.passedNanos = now;
            }
        }
        if (pass) {
            publishTyping(chatId, userId, typing);
        }
    }

    private void lapse(Typist typist) {
        synchronized (this) {
            Typing state = typists.get(typist);
            if (state == null || !state.typing) {
                return;
            }
            typists.remove(typist);
        }
        publishTyping(typist.chatId(), typist.userId(), false);
    }

    private void publishTyping(UUID chatId, String userId, boolean typing) {
        ObjectNode data = JSON.createObjectNode().put("chat_id", chatId.toString()).put("user_id", userId)
                .put("typing", typing);
        publish(chatId, "typing", userId, data);
    }

    /** Hands a moment to this instance's streams of the chat and tells the other instances. */
    private void publish(UUID chatId, String event, String userId, ObjectNode data) {
        deliver(chatId, event, userId, data);
        ObjectNode payload = JSON.createObjectNode().put("event", event).put("user_id", userId);
        payload.set("data", data);
        fleet.ephemeral(Signal.ephemeral(chatId, JsonMapping.text(payload)));
    }

    private void deliver(UUID chatId, String event, String userId, JsonNode data) {
        subscribers.ephemeral(chatId, userId, EventFrames.ephemeral(event, JsonMapping.text(data)));
    }

    /** Another instance's moment, as its {@link #publish} or presence signal sent it. */
    public void received(UUID chatId, String payload) {
        try {
            JsonNode signal = JSON.readTree(payload);
            String event = signal.path("event").asText();
            if (event.equals("instance-alive")) {
                heard(signal.path("instance").asText());
            } else if (event.equals("presence-sync")) {
                if (signal.path("to").asText().equals(fleet.instance())) {
                    resync();
                }
            } else if (event.equals("presence-of")) {
                remotePresence(new Person(signal.path("namespace").asText(), signal.path("user_id").asText()),
                        signal.path("instance").asText(), signal.path("online").asBoolean(),
                        signal.path("last_seen").asLong());
            } else if (!chatId.equals(EVERYONE)) {
                deliver(chatId, event, signal.path("user_id").asText(), signal.path("data"));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.log(Level.FINE, "an ephemeral signal could not be read", e);
        }
    }

    /** A stream of this user opened here: they are online, at once. Close the answer when the stream ends. */
    public AutoCloseable opened(String namespace, String userId) {
        Person person = new Person(namespace, userId);
        boolean announce;
        boolean tell;
        synchronized (this) {
            Presence presence = people.computeIfAbsent(person, k -> new Presence());
            presence.local++;
            tell = presence.local == 1;
            if (presence.goingOffline != null) {
                presence.goingOffline.cancel(false);
                presence.goingOffline = null;
                tell = false;
            }
            announce = !presence.online;
            presence.online = true;
            presence.lastSeen = Instant.now().getEpochSecond();
        }
        if (tell) {
            tellFleet(person, true);
        }
        if (announce) {
            announce(person, true);
        }
        return () -> closed(person);
    }

    private void closed(Person person) {
        synchronized (this) {
            Presence presence = people.get(person);
            if (presence == null || --presence.local > 0) {
                return;
            }
            presence.goingOffline = timer.schedule(() -> wentOffline(person), presenceDebounceMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void wentOffline(Person person) {
        boolean announce;
        synchronized (this) {
            Presence presence = people.get(person);
            if (presence == null || presence.local > 0) {
                return;
            }
            presence.goingOffline = null;
            presence.lastSeen = Instant.now().getEpochSecond();
            announce = presence.online && presence.remote.isEmpty();
            if (announce) {
                presence.online = false;
            }
        }
        tellFleet(person, false);
        if (announce) {
            announce(person, false);
        }
    }

    private void remotePresence(Person person, String instance, boolean online, long lastSeen) {
        Boolean announce = null;
        heard(instance);
        synchronized (this) {
            Presence presence = people.computeIfAbsent(person, k -> new Presence());
            if (online) {
                presence.remote.add(instance);
            } else {
                presence.remote.remove(instance);
                presence.lastSeen = Math.max(presence.lastSeen, lastSeen);
            }
            boolean now = held(presence);
            if (now != presence.online) {
                presence.online = now;
                announce = now;
            }
        }
        if (announce != null) {
            announce(person, announce);
        }
    }

    /**
     * Another instance was heard of. One not heard of before (a newcomer, this instance being new, or one back from
     * silence) is asked for its users' presence: whatever it told of them before, this instance did not hear.
     */
    private void heard(String instance) {
        Long before;
        synchronized (this) {
            before = instancesHeard.put(instance, System.nanoTime());
        }
        if (before == null) {
            ObjectNode ask = JSON.createObjectNode().put("event", "presence-sync").put("instance", fleet.instance())
                    .put("to", instance);
            fleet.ephemeral(Signal.ephemeral(EVERYONE, JsonMapping.text(ask)));
        }
    }

    /** Asked by an instance that did not hear of them: tells the fleet again of every user with a stream here. */
    private void resync() {
        List<Person> here;
        synchronized (this) {
            here = people.entrySet().stream().filter(entry -> entry.getValue().local > 0).map(Map.Entry::getKey)
                    .toList();
        }
        here.forEach(person -> tellFleet(person, true));
    }

    private void tellFleet(Person person, boolean online) {
        ObjectNode payload = JSON.createObjectNode().put("event", "presence-of")
                .put("namespace", person.namespace()).put("user_id", person.userId())
                .put("instance", fleet.instance()).put("online", online)
                .put("last_seen", Instant.now().getEpochSecond());
        fleet.ephemeral(Signal.ephemeral(EVERYONE, JsonMapping.text(payload)));
    }

    /** Tells the streams here of the chats this user is a member of. */
    private void announce(Person person, boolean online) {
        Set<UUID> followed = subscribers.followedChats();
        if (followed.isEmpty()) {
            return;
        }
        ObjectNode data = presence(person.userId(), online, lastSeen(person));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT m.chat_id FROM chat_members m"
                     + " WHERE m.user_id = ? AND " + Chat.inNamespace("m.chat_id"))) {
            select.setQueryTimeout(5);
            select.setString(1, person.userId());
            select.setString(2, person.namespace());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID chat = rows.getObject(1, UUID.class);
                    if (followed.contains(chat)) {
                        deliver(chat, "presence", person.userId(), data);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "presence could not be announced", e);
        }
    }

    private synchronized long lastSeen(Person person) {
        Presence presence = people.get(person);
        return presence == null ? 0 : presence.lastSeen;
    }

    private static ObjectNode presence(String userId, boolean online, long lastSeen) {
        return JSON.createObjectNode().put("user_id", userId).put("online", online).put("last_seen", lastSeen);
    }

    /**
     * What a stream of this chat receives first, after its opening block: each other member's read marker (those
     * who read anything) and presence (those who are online, or were seen since this instance started).
     */
    public List<byte[]> greeting(Chat chat, String userId) {
        List<byte[]> frames = new ArrayList<>();
        List<byte[]> presences = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT user_id, read_seq FROM chat_members WHERE chat_id = ? ORDER BY user_id")) {
            select.setQueryTimeout(5);
            select.setObject(1, chat.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String member = rows.getString(1);
                    if (member.equals(userId)) {
                        continue;
                    }
                    long seq = rows.getLong(2);
                    if (seq > 0) {
                        frames.add(EventFrames.ephemeral("read", JsonMapping.text(JSON.createObjectNode()
                                .put("chat_id", chat.id().toString()).put("user_id", member).put("seq", seq))));
                    }
                    Presence presence;
                    synchronized (this) {
                        presence = people.get(new Person(chat.namespace(), member));
                        if (presence != null) {
                            presences.add(EventFrames.ephemeral("presence",
                                    JsonMapping.text(presence(member, presence.online, presence.lastSeen))));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.FINE, "a stream's greeting could not be read", e);
        }
        frames.addAll(presences);
        return frames;
    }

    @PreDestroy
    void end() {
        timer.shutdownNow();
    }
}

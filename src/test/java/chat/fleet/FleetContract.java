package chat.fleet;

import chat.Api;
import chat.ServiceProcess;
import chat.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static chat.Api.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * What every transport between instances must give: three instances (real processes on their own ports, one
 * PostgreSQL database) behave as one service to every client. The periodic catch-up is set to ten minutes, so that
 * what reaches a stream in time came by the transport under test, not by the catch-up that backs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FleetContract {

    static final Duration DELIVERY = Duration.ofSeconds(30);
    static final long HEARTBEAT_MILLIS = 500;

    List<ServiceProcess> instances;

    /** The system properties that choose the transport under test. */
    abstract List<String> transport();

    String[] properties() {
        List<String> all = new ArrayList<>(transport());
        all.add("-Dchat.fleet.catch-up-millis=600000");
        all.add("-Dchat.presence.heartbeat-millis=" + HEARTBEAT_MILLIS);
        return all.toArray(String[]::new);
    }

    @BeforeAll
    void startInstances() throws Exception {
        Instances.assumePostgres();
        instances = Instances.start(3, getClass().getSimpleName(), properties());
    }

    @AfterAll
    void stopInstances() throws InterruptedException {
        Instances.stopAll(instances);
    }

    Api api(int instance) {
        return instances.get(instance).api();
    }

    URI base(int instance) {
        return api(instance).uri("/");
    }

    @Test
    void racingSendersOnTwoInstancesReachListenersOnAThirdInOrder() throws Exception {
        String sender = user("sender");
        String chatId = api(0).newChat(sender, user("listener"));
        try (var onC = new Listener(List.of(base(2)), chatId, user("watcher"), 0);
             var alsoOnC = new Listener(List.of(base(2)), chatId, user("watcher"), 0);
             var onA = new Listener(List.of(base(0)), chatId, user("watcher"), 0)) {
            Map<String, Long> acknowledged = send(List.of(api(0), api(1)), chatId, sender, 6, 40);
            assertThat(acknowledged.size(), is(240));
            assertThat("the third instance's stream: every seq once, in order",
                    onC.awaitCount(240, DELIVERY), is(Listener.oneTo(240)));
            assertThat("its second stream", alsoOnC.awaitCount(240, DELIVERY), is(Listener.oneTo(240)));
            assertThat("a stream on a sending instance, getting its own and the other's",
                    onA.awaitCount(240, DELIVERY), is(Listener.oneTo(240)));
        }
    }

    @Test
    void lastEventIdFromOneInstanceResumesExactlyOnAnother() throws Exception {
        String sender = user("sender");
        String chatId = api(0).newChat(sender, user("listener"));
        String watcher = user("watcher");
        long seen;
        try (var onA = new Listener(List.of(base(0)), chatId, watcher, 0)) {
            send(List.of(api(1)), chatId, sender, 1, 10);
            assertThat(onA.awaitCount(10, DELIVERY), is(Listener.oneTo(10)));
            seen = onA.last();
        }
        send(List.of(api(0), api(1)), chatId, sender, 2, 5);
        try (var onC = new Listener(List.of(base(2)), chatId, watcher, seen)) {
            send(List.of(api(1)), chatId, sender, 1, 5);
            assertThat("what was missed, then what came live, each once", onC.awaitCount(10, DELIVERY),
                    is(Listener.range(11, 25)));
        }
    }

    @Test
    void kill9OfAnInstanceMidLoadItsStreamsResumeOnAnother() throws Exception {
        List<ServiceProcess> doomed = Instances.start(1, getClass().getSimpleName() + "-doomed", properties());
        try {
            URI doomedBase = doomed.get(0).api().uri("/");
            String sender = user("sender");
            String chatId = api(0).newChat(sender, user("listener"));
            List<Listener> listeners = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                listeners.add(new Listener(List.of(doomedBase, base(1)), chatId, user("watcher"), 0));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger viaDoomed = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(4);
            CountDownLatch started = new CountDownLatch(4);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Api via = thread % 2 == 0 ? doomed.get(0).api() : api(0);
                senders.submit(() -> {
                    started.countDown();
                    for (int i = 0; running.get() && i < 2000; i++) {
                        String clientId = "k" + thread + "-" + i;
                        try {
                            JsonNode message = via.send(chatId, sender, clientId, clientId);
                            acknowledged.put(clientId, message.get("seq").asLong());
                            if (thread % 2 == 0) {
                                viaDoomed.incrementAndGet();
                            }
                        } catch (RuntimeException | AssertionError killed) {
                            if (thread % 2 == 0) {
                                return; // its instance is gone
                            }
                        }
                    }
                });
            }
            started.await();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 150 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            doomed.get(0).kill();
            int atKill = acknowledged.size();
            while (acknowledged.size() < atKill + 100 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            running.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS), is(true));
            assertThat("Sends answered by the killed instance", viaDoomed.get(), greaterThan(20));
            long last = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat("every acknowledged seq is one of 1..last, none twice", acknowledged.values().stream()
                    .distinct().count(), is((long) acknowledged.size()));
            for (Listener listener : listeners) {
                List<Long> seqs = listener.awaitCount((int) last, DELIVERY);
                assertThat("the stream reconnected to another instance", listener.reconnects(), greaterThan(0));
                assertThat("its stream resumed on the other instance: every seq once, in order", seqs,
                        is(Listener.oneTo(last)));
                listener.close();
            }
        } finally {
            Instances.stopAll(doomed);
        }
    }

    /**
     * A user whose only stream is on an instance that is killed: nothing tells the others that the stream ended, so
     * they announce the user offline once that instance has missed three heartbeats (of 500 ms here); without the
     * heartbeat the user would stay online on them for ever.
     */
    @Test
    void theUsersOfAKilledInstanceGoOfflineOnTheOthers() throws Exception {
        List<ServiceProcess> doomed = Instances.start(1, getClass().getSimpleName() + "-gone", properties());
        try {
            String watcher = user("watcher");
            String leaving = user("leaving");
            String chatId = api(0).newChat(watcher, leaving);
            try (SseClient watching = SseClient.open(base(0), "/chat/Connect?chat_id=" + chatId + "&user_id="
                    + watcher, Map.of());
                 SseClient onDoomed = SseClient.open(doomed.get(0).api().uri("/"), "/chat/Connect?chat_id=" + chatId
                         + "&user_id=" + leaving, Map.of())) {
                assertThat(onDoomed.status(), is(200));
                JsonNode online = presenceOf(watching, leaving);
                assertThat("online while their stream is open on the other instance: " + online,
                        online.path("online").asBoolean(), is(true));
                doomed.get(0).kill();
                long killed = System.nanoTime();
                JsonNode offline = presenceOf(watching, leaving);
                assertThat("offline once their instance is silent: " + offline, offline.path("online").asBoolean(),
                        is(false));
                assertThat("the last seen time", offline.path("last_seen").asLong(), greaterThan(0L));
                assertThat("within a few heartbeats of the kill (ms)",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed), lessThan(20 * HEARTBEAT_MILLIS));
            }
        } finally {
            Instances.stopAll(doomed);
        }
    }

    /**
     * An instance that starts after a user connected elsewhere never heard that user come online: on hearing of the
     * other instances it asks them, so a stream opened on it learns who is online like a stream anywhere else.
     */
    @Test
    void aNewInstanceLearnsWhoIsOnlineElsewhere() throws Exception {
        String here = user("here");
        String newcomer = user("newcomer");
        String chatId = api(0).newChat(here, newcomer);
        try (SseClient holding = SseClient.open(base(0), "/chat/Connect?chat_id=" + chatId + "&user_id=" + here,
                Map.of())) {
            assertThat(holding.status(), is(200));
            List<ServiceProcess> late = Instances.start(1, getClass().getSimpleName() + "-late", properties());
            try (SseClient onLate = SseClient.open(late.get(0).api().uri("/"), "/chat/Connect?chat_id=" + chatId
                    + "&user_id=" + newcomer, Map.of())) {
                assertThat(onLate.status(), is(200));
                JsonNode presence = presenceOf(onLate, here);
                assertThat("the user online on another instance since before this one started: " + presence,
                        presence.path("online").asBoolean(), is(true));
            } finally {
                Instances.stopAll(late);
            }
        }
    }

    /** The next presence event about this user on the stream; fails after {@link #DELIVERY}. */
    private static JsonNode presenceOf(SseClient stream, String userId) throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (System.nanoTime() < deadline) {
            SseClient.Event event = stream.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event != null && "presence".equals(event.event())) {
                JsonNode data = Api.JSON.readTree(event.data());
                if (data.path("user_id").asText().equals(userId)) {
                    return data;
                }
            }
        }
        throw new AssertionError("no presence of " + userId + " within " + DELIVERY);
    }

    /**
     * Sends {@code perThread} messages from each of {@code threads} threads at once, thread i through instance
     * i mod n; answers the acknowledged seqs by client_id.
     */
    static Map<String, Long> send(List<Api> via, String chatId, String sender, int threads, int perThread)
            throws InterruptedException {
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch gate = new CountDownLatch(1);
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        for (int t = 0; t < threads; t++) {
            Api api = via.get(t % via.size());
            int thread = t;
            pool.submit(() -> {
                gate.await();
                for (int i = 0; i < perThread; i++) {
                    String clientId = run + "-" + thread + "-" + i;
                    acknowledged.put(clientId, api.send(chatId, sender, clientId, clientId).get("seq").asLong());
                }
                return null;
            });
        }
        gate.countDown();
        pool.shutdown();
        assertThat("the senders finished", pool.awaitTermination(60, TimeUnit.SECONDS), is(true));
        return acknowledged;
    }
}

package chat.platform;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShortThreadsTest {

    @Test
    void theStepRunsOnAThreadOfItsOwnAndItsValueIsAnswered() throws Exception {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> ran = new AtomicReference<>();

        String answer = ShortThreads.call(() -> {
            ran.set(Thread.currentThread());
            return "value";
        });

        assertThat(answer, is("value"));
        assertThat("the step's thread", ran.get(), is(not(sameInstance(caller))));
        assertThat("a virtual thread", ran.get().isVirtual(), is(true));
        assertThat("ended when the call returned", ran.get().isAlive(), is(false));
    }

    @Test
    void whatTheStepThrowsIsThrownToTheCaller() {
        IOException checked = new IOException("the database is gone");
        IllegalStateException unchecked = new IllegalStateException("refused");

        IOException thrown = assertThrows(IOException.class, () -> ShortThreads.call(() -> {
            throw checked;
        }));
        IllegalStateException thrownToo = assertThrows(IllegalStateException.class, () -> ShortThreads.call(() -> {
            throw unchecked;
        }));

        assertThat(thrown, is(sameInstance(checked)));
        assertThat(thrownToo, is(sameInstance(unchecked)));
    }

    @Test
    void theStepRunsInTheCallersContext() {
        Context context = Context.create();
        context.register(this);

        Object seen = Contexts.runInContext(context, () -> {
            try {
                return ShortThreads.call(() -> Contexts.context().flatMap(c -> c.get(ShortThreadsTest.class))
                        .orElse(null));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(seen, is(sameInstance(this)));
    }

    @Test
    void interruptingTheCallerInterruptsTheStepAndEndsTheWait() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean stepInterrupted = new AtomicBoolean();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                ShortThreads.call(() -> {
                    started.countDown();
                    try {
                        TimeUnit.SECONDS.sleep(30);
                    } catch (InterruptedException e) {
                        stepInterrupted.set(true);
                    }
                    return null;
                });
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        assertThat("the step started", started.await(10, TimeUnit.SECONDS), is(true));

        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(10));

        assertThat("the caller's wait ended", caller.isAlive(), is(false));
        assertThat(outcome.get(), is(instanceOf(InterruptedException.class)));
        assertThat("the step was interrupted", stepInterrupted.get(), is(true));
    }
}

package dev.realtime.jakarta.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's two threads: named after the client, daemons, recognized as the event thread, gone after shutdown. */
class ClientLoopThreadsTest {

    @Test
    void eventAndConnectorThreadsAreNamedDaemonsThatEndWithTheLoop() throws Exception {
        ClientLoop loop = new ClientLoop();
        CompletableFuture<Thread> event = new CompletableFuture<>();
        CompletableFuture<Boolean> recognized = new CompletableFuture<>();
        loop.run(() -> {
            event.complete(Thread.currentThread());
            recognized.complete(loop.onEventThread());
        });
        CompletableFuture<Thread> connector = new CompletableFuture<>();
        loop.connector(() -> connector.complete(Thread.currentThread()), false);

        Thread e = event.get(5, TimeUnit.SECONDS);
        Thread c = connector.get(5, TimeUnit.SECONDS);
        assertTrue(e.getName().matches("realtime-client-\\d+-1"), e.getName());
        assertTrue(c.getName().matches("realtime-client-\\d+-connect-1"), c.getName());
        assertTrue(e.isDaemon() && c.isDaemon(), "daemon threads");
        assertTrue(recognized.get(5, TimeUnit.SECONDS), "the event thread is recognized as such");
        assertFalse(loop.onEventThread(), "the test thread is not the event thread");

        loop.shutdown();
        e.join(5_000);
        c.join(5_000);
        assertFalse(e.isAlive() || c.isAlive(), "both threads end with the loop");
    }
}

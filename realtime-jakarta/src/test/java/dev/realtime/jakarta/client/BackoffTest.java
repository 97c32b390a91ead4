package dev.realtime.jakarta.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Backoff MAX_JITTER = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.999999);

    @Test
    void ceilingDoublesUpToTheCap() {
        assertEquals(100, MAX_JITTER.delayMillis(1));
        assertEquals(200, MAX_JITTER.delayMillis(2));
        assertEquals(400, MAX_JITTER.delayMillis(3));
        assertEquals(5000, MAX_JITTER.delayMillis(10));
        assertEquals(5000, MAX_JITTER.delayMillis(1000));
    }

    @Test
    void fullJitterStartsAtZero() {
        Backoff none = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.0);
        assertEquals(0, none.delayMillis(7));
        Backoff half = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.5);
        assertEquals(200, half.delayMillis(3));
    }

    @Test
    void builderFailsFast() {
        RealtimeClient.Builder b = RealtimeClient.builder(URI.create("ws://localhost:1/ws"));
        assertThrows(IllegalArgumentException.class, () -> b.reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> b.maxReconnectAttempts(-1));
        assertThrows(IllegalArgumentException.class, () -> b.offlineQueueSize(-1));
        assertThrows(IllegalArgumentException.class, () -> RealtimeClient.builder(URI.create("http://x/ws")));
    }
}

package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.security.Limits;
import dev.realtime.core.testing.RecordingTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomized frames into both codecs: mutations of valid frames, random printable and binary garbage. Whatever
 * arrives, no exception escapes to the adapter, and the hub keeps serving a healthy client.
 */
class CodecFuzzTest {
    private static final String[] NATIVE_SEEDS = {
            "{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"job:42\",\"since\":3,\"epoch\":\"e\"}",
            "{\"type\":\"unsubscribe\",\"room\":\"job:42\"}",
            "{\"type\":\"emit\",\"id\":\"2\",\"event\":\"echo\",\"data\":{\"a\":[1,2,{\"b\":null}]}}",
            "{\"type\":\"pong\"}", "{\"type\":\"auth\",\"token\":\"x.y.z\"}",
    };
    private static final String[] SOCKET_IO_SEEDS = {
            "40", "40/jobs,{\"token\":\"t\"}", "42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"9\"}]", "42[\"echo\",1]",
            "43/jobs,0[{\"ok\":true}]", "451-[\"echo\",{\"_placeholder\":true,\"num\":0}]", "41/jobs,", "3", "2",
            "40{\"pid\":\"p\",\"offset\":\"zz\"}",
    };
    private static final String ALPHABET = "{}[]\":,0123456789-/_abcdefghijklmnopqrstuvwxyz \\\u00e9\u20ac\ud83d\ude00";

    @Test
    void nativeCodecSurvivesRandomFrames() {
        fuzz(Protocol.NATIVE, NATIVE_SEEDS, new Random(42), 4000);
    }

    @Test
    void socketIoCodecSurvivesRandomFrames() {
        fuzz(Protocol.SOCKET_IO, SOCKET_IO_SEEDS, new Random(7), 4000);
    }

    private void fuzz(Protocol protocol, String[] seeds, Random random, int iterations) {
        // frames handled on this thread, so a fatal one has closed the connection before the next is fed
        try (RealtimeHub hub = RealtimeHub.builder().limits(Limits.unlimited()).maxFrameBytes(4096)
                .handlerExecutor(new dev.realtime.core.testing.DirectExecutorService()).build()) {
            hub.on("echo", com.fasterxml.jackson.databind.JsonNode.class, (c, p) -> p);
            Handshake hs = new Handshake(protocol == Protocol.NATIVE ? "/ws" : "/socket.io/", Map.of(),
                    Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "127.0.0.1");
            RecordingTransport t = new RecordingTransport(hs);
            ConnectionHandle h = hub.connect(t, protocol);
            int reconnects = 0;
            for (int i = 0; i < iterations; i++) {
                if (t.closeCode() != -1 || !isOpen(hub, h)) {
                    t = new RecordingTransport(hs);
                    h = hub.connect(t, protocol);
                    reconnects++;
                }
                int kind = random.nextInt(10);
                try {
                    if (kind < 6) {
                        h.onText(mutate(seeds[random.nextInt(seeds.length)], random));
                    } else if (kind < 8) {
                        h.onText(randomText(random, random.nextInt(64)));
                    } else {
                        byte[] b = new byte[random.nextInt(32)];
                        random.nextBytes(b);
                        h.onBinary(ByteBuffer.wrap(b));
                    }
                } catch (Throwable e) {
                    throw new AssertionError("exception escaped on iteration " + i, e);
                }
                t.drain();
            }
            assertTrue(reconnects > 0, "some frames must have been fatal");
            // still healthy
            RecordingTransport ok = new RecordingTransport();
            ConnectionHandle oh = hub.connect(ok, Protocol.NATIVE);
            ok.next("connection");
            oh.onText("{\"type\":\"subscribe\",\"room\":\"job:healthy\"}");
            ok.next("subscribed");
            hub.jobs().progress("healthy", 1, null);
            assertEquals(1, ok.next("event").path("data").path("progress").asInt());
        }
    }

    private static boolean isOpen(RealtimeHub hub, ConnectionHandle h) {
        return hub.stats().connections() > 0;
    }

    private static String mutate(String seed, Random r) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int pos = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.deleteCharAt(pos);
                case 1 -> sb.insert(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> sb.setCharAt(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                default -> sb.setLength(pos); // truncate
            }
        }
        return sb.toString();
    }

    private static String randomText(Random r, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return new String(sb.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}

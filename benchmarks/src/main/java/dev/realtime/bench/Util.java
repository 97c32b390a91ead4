package dev.realtime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Small stateless helpers of the harness: JSON parsing, rounding and units, the log line, a pause. Thread-safe. */
final class Util {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Util() {
    }

    /** Parses a control-plane answer. */
    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Microseconds as milliseconds, two decimals. */
    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    /** Bytes (a Number, else 0) as MiB. */
    static double mb(Object bytes) {
        return bytes instanceof Number n ? n.longValue() / 1024.0 / 1024.0 : 0;
    }

    /** Three decimals. */
    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Sleeps between phases (lets the server settle); keeps the interrupt. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One timestamped line on stdout. */
    static void log(String s) {
        System.out.println("[bench " + Instant.now() + "] " + s);
    }
}

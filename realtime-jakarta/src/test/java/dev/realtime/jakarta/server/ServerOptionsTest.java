package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

    @Test
    void defaults() {
        ServerOptions o = ServerOptions.parse(new String[0], Map.of());
        assertEquals(8080, o.port());
        assertEquals("0.0.0.0", o.host());
        assertEquals(Optional.empty(), o.apiKey());
        assertFalse(o.help());
    }

    @Test
    void environmentThenFlags() {
        Map<String, String> env = Map.of("PORT", "9000", "REALTIME_API_KEY", "envkey");
        ServerOptions fromEnv = ServerOptions.parse(new String[0], env);
        assertEquals(9000, fromEnv.port());
        assertEquals("envkey", fromEnv.apiKey().orElseThrow());
        ServerOptions flags = ServerOptions.parse(new String[] {"--port", "0", "--api-key=k2", "--host", "127.0.0.1"},
                env);
        assertEquals(0, flags.port());
        assertEquals("k2", flags.apiKey().orElseThrow());
        assertEquals("127.0.0.1", flags.host());
        assertFalse(flags.toString().contains("k2"));
        assertTrue(ServerOptions.parse(new String[] {"--help"}, Map.of()).help());
    }

    @Test
    void badInputFailsClearly() {
        assertEquals("unknown option '--bogus' (try --help)", assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--bogus", "x"}, Map.of())).getMessage());
        ServerOptions all = ServerOptions.parse(new String[] {"--redis", "redis://127.0.0.1:6379",
                "--jwt-secret=s3cret", "--allowed-origins", "https://a.example, https://b.example"},
                Map.of("GEMINI_API_KEYS", "g1,g2"));
        assertEquals("redis://127.0.0.1:6379", all.value("redis").orElseThrow());
        assertEquals(java.util.List.of("https://a.example", "https://b.example"), all.list("allowed-origins"));
        assertEquals(java.util.List.of("g1", "g2"), all.list("gemini-keys"));
        assertFalse(all.toString().contains("s3cret"), "secrets never printed");
        assertEquals("missing value for --port", assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--port"}, Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--port", "http"},
                Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--port", "70000"},
                Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(new String[0], Map.of("PORT", "x")));
    }
}

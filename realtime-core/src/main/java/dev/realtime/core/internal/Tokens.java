package dev.realtime.core.internal;

import dev.realtime.core.Handshake;
import java.util.Optional;

/** Finds a bearer token in an upgrade request: {@code Authorization: Bearer ...}, else {@code ?token=}. */
final class Tokens {
    private Tokens() {
    }

    static Optional<String> fromHandshake(Handshake h) {
        Optional<String> auth = h.header("Authorization");
        if (auth.isPresent() && auth.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = auth.get().substring(7).trim();
            if (!t.isEmpty()) {
                return Optional.of(t);
            }
        }
        return h.queryParam("token").filter(t -> !t.isBlank());
    }
}

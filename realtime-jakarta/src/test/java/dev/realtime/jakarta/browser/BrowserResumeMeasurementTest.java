package dev.realtime.jakarta.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.pushes.Notification;
import dev.realtime.core.pushes.PushPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not a pass/fail test (tag {@code measurement}, run with {@code -Dmeasure}): the browser client in headless
 * Chromium misses 100 events in its user room while WebSocket upgrades are refused, then reconnects; measured in
 * the page from the start of the attempt that succeeds (the WebSocket constructor) to the 100th missed event
 * delivered to the handler: connect, greeting, subscribe with {@code since}, replay of 100 events, dispatch.
 * The backoff wait before that attempt is not included (it is the client's policy, 0.5-1 s by default).
 * Reports to the log and to {@code target/browser-resume-measurement.txt}.
 */
@Tag("measurement")
@Timeout(300)
class BrowserResumeMeasurementTest {
    private static final Logger log = LoggerFactory.getLogger(BrowserResumeMeasurementTest.class);
    private static final int ROUNDS = 10;
    private static final int EVENTS = 100;
    private final BrowserScenario browser = new BrowserScenario();

    private JsonNode next(String field) throws InterruptedException {
        for (;;) {
            JsonNode r = browser.nextReport();
            if (r.has(field)) {
                return r;
            }
        }
    }

    @Test
    void reconnectAndResume100MissedEvents() throws Exception {
        BrowserScenario.requireChromium();
        try (NativeBrowserServer s = new NativeBrowserServer(browser, hub -> { });
             AutoCloseable page = browser.launch(s.page("measure", "alice",
                     "&rounds=" + ROUNDS + "&events=" + EVENTS))) {
            PushPublisher pushes = new PushPublisher(s.hub);
            next("ready");
            for (int round = 0; round < ROUNDS; round++) {
                next("waiting");
                s.server.refuseWebSocketUpgrades(true);
                s.server.closeConnections(1012, "restart");
                next("reconnecting");
                for (int i = 0; i < EVENTS; i++) {
                    pushes.notifyUser("alice", Notification.info("n-" + round + "-" + i, "", "missed " + i));
                }
                s.server.refuseWebSocketUpgrades(false);
            }
            JsonNode results = next("results").path("results");
            assertEquals(ROUNDS, results.size());
            List<Double> ms = new ArrayList<>();
            results.forEach(r -> ms.add(r.asDouble()));
            List<Double> sorted = new ArrayList<>(ms);
            Collections.sort(sorted);
            String line = String.format(java.util.Locale.ROOT, "browser reconnect+resume of %d missed events "
                            + "(Chromium, loopback, %d rounds): median %.1f ms, min %.1f ms, max %.1f ms; all %s",
                    EVENTS, ROUNDS, sorted.get(ROUNDS / 2), sorted.get(0), sorted.get(ROUNDS - 1), ms);
            log.info(line);
            Files.writeString(Path.of("target/browser-resume-measurement.txt"), line + "\n");
        }
    }
}

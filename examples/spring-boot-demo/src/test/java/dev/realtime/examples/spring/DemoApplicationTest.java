package dev.realtime.examples.spring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.history.HistoryEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The demo starts, and a POSTed report job runs to completion through the auto-configured publisher. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "demo.step-delay=1ms")
class DemoApplicationTest {

    @Autowired
    TestRestTemplate http;

    @Autowired
    RealtimeHub hub;

    @Test
    @SuppressWarnings("rawtypes")
    void reportJobPublishesProgressThenCompletes() {
        ResponseEntity<Map> started = http.postForEntity("/api/reports", Map.of("title", "Q3"), Map.class);
        assertEquals(HttpStatus.ACCEPTED, started.getStatusCode());
        String jobId = (String) started.getBody().get("jobId");

        await().atMost(Duration.ofSeconds(10)).until(() -> events(jobId).contains("job:completed"));
        List<String> events = events(jobId);
        assertEquals("job:update", events.get(0));
        assertTrue(events.stream().filter("job:progress"::equals).count() >= 4, events.toString());
    }

    private List<String> events(String jobId) {
        return hub.history("job:" + jobId, 0, 100).entries().stream().map(HistoryEntry::event).toList();
    }
}

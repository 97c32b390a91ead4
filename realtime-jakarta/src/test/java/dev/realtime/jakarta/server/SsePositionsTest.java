package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SSE id form ({@code room|offset|epoch,...}): parsing, refusals, and following frames like the browser. */
class SsePositionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parsesAndPrintsTheIdForm() {
        Map<String, SsePositions.Position> p = SsePositions.parse("user:alice|17|Xy3a_b,job:42|3|e1", 5);
        assertEquals(new SsePositions.Position(17, "Xy3a_b"), p.get("user:alice"));
        assertEquals(new SsePositions.Position(3, "e1"), p.get("job:42"));
        SsePositions s = new SsePositions();
        s.putAll(p);
        assertEquals("user:alice|17|Xy3a_b,job:42|3|e1", s.text());
        assertEquals(Map.of(), SsePositions.parse("", 5));
    }

    @Test
    void refusesMalformedIds() {
        for (String bad : new String[] {"x", "user:alice|1", "user:alice|a|e", "user:alice|-1|e", "bad room|1|e",
                "user:alice|1|e p", "a|1|e,", "a|1|e,b|1|e,c|1|e"}) {
            assertThrows(IllegalArgumentException.class, () -> SsePositions.parse(bad, 2), bad);
        }
    }

    @Test
    void followsSubscribedAndEventFramesWithoutReadingThePayload() {
        SsePositions s = new SsePositions();
        assertEquals("user:a|5|e1", s.follow("{\"type\":\"subscribed\",\"id\":\"1\",\"room\":\"user:a\","
                + "\"epoch\":\"e1\",\"offset\":5}", JSON));
        assertEquals("user:a|6|e1", s.follow("{\"type\":\"event\",\"room\":\"user:a\",\"event\":\"n\",\"offset\":6,"
                + "\"epoch\":\"e1\",\"data\":{\"deep\":[1,2,{\"x\":\"unterminated", JSON), "payload never parsed");
        assertNull(s.follow("{\"type\":\"event\",\"room\":\"user:a\",\"event\":\"n\",\"offset\":6,\"epoch\":\"e1\","
                + "\"data\":{}}", JSON), "a duplicate moves nothing");
        assertEquals("user:a|8|e2", s.follow("{\"type\":\"subscribed\",\"room\":\"user:a\",\"epoch\":\"e2\","
                + "\"offset\":9,\"recovered\":false}", JSON), "a gap: just before the current state");
        assertNull(s.follow("{\"type\":\"ack\",\"id\":\"3\",\"data\":{}}", JSON));
        assertNull(s.follow("{\"type\":\"event\",\"event\":\"direct\",\"data\":{}}", JSON));
    }
}

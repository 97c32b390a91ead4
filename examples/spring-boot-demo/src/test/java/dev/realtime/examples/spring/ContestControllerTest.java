package dev.realtime.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.contest.ContestService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The demo's contest REST API on the auto-configured contest service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContestControllerTest {

    @Autowired
    TestRestTemplate http;

    @Autowired
    ContestService contests;

    @Test
    @SuppressWarnings("rawtypes")
    void createRegisterAnswerAndRefuse() {
        ResponseEntity<Map> created = http.postForEntity("/api/contest", Map.of("id", "boot", "title", "Boot",
                "questions", List.of(Map.of("question", "1+1?", "options", List.of("1", "2"),
                        "correctAnswerIndex", 1))), Map.class);
        assertEquals(HttpStatus.CREATED, created.getStatusCode(), String.valueOf(created.getBody()));
        assertFalse(created.getBody().toString().contains("correctAnswerIndex"));
        assertTrue(http.getForObject("/api/contest", Map.class).toString().contains("id=boot"));
        assertEquals(HttpStatus.CREATED, http.postForEntity("/api/contest/boot/register?userId=ann", null, Map.class)
                .getStatusCode());
        assertEquals(1, ((Number) http.getForObject("/api/contest/boot", Map.class).get("participants")).intValue());
        assertTrue(contests.submit("boot", "ann", "q1", 1).correct());
        ResponseEntity<Map> missing = http.getForEntity("/api/contest/nope", Map.class);
        assertEquals(HttpStatus.NOT_FOUND, missing.getStatusCode());
        assertEquals("contest_not_found", ((Map) missing.getBody().get("error")).get("code"));
        ResponseEntity<Map> bad = http.postForEntity("/api/contest", Map.of("title", "none"), Map.class);
        assertEquals(HttpStatus.BAD_REQUEST, bad.getStatusCode());
        assertEquals("bad_request", ((Map) bad.getBody().get("error")).get("code"));
        ResponseEntity<Map> badUser = http.postForEntity("/api/contest/boot/register?userId=a b", null, Map.class);
        assertEquals(HttpStatus.BAD_REQUEST, badUser.getStatusCode());
    }
}

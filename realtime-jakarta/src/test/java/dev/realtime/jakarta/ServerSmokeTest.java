package dev.realtime.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.server.RealtimeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ServerSmokeTest {
    @Test
    void smoke() throws Exception {
        try (RealtimeHub hub = RealtimeHub.builder().build();
             RealtimeServer server = RealtimeServer.builder().hub(hub).port(0).host("127.0.0.1").build()) {
            int port = server.start();
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.err.println(r.statusCode() + " " + r.body());
            try (RawClient c = RawClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                JsonNode hello = c.next();
                System.err.println(hello);
                c.send("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"job:1\"}");
                System.err.println(c.next());
                hub.jobs().progress("1", 10, "x");
                assertEquals("event", c.next("event").path("type").asText());
            }
        }
    }
}

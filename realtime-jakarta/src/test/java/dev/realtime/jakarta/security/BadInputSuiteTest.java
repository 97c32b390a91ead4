package dev.realtime.jakarta.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.jakarta.socketio.RawSocket;
import dev.realtime.jakarta.socketio.RawTcpWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * More than 200 bad inputs over real connections, on both protocols, each asserting the exact error code or
 * close code; after every case a healthy client still receives its events. Two servers: an open one (protocol
 * abuse) and a JWT-secured one (tokens and room authorization). Floods and connection limits are in
 * {@link BadInputLimitsTest}.
 */
class BadInputSuiteTest extends BadInputSuiteBase {
    @Test
    void thereAreAtLeast200Cases() {
        assertTrue(cases().count() >= 200, "cases: " + cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsItsErrorAndTheServerStaysHealthy(Case k) throws Exception {
        Server srv = k.server().equals("open") ? open : secured;
        if (k.kind() == Kind.RAW_UTF8) {
            int code = RawTcpWebSocket.sendTextBytesAndAwaitClose(srv.port(), k.path(), k.binary());
            assertEquals(Integer.parseInt(k.expect()), code);
            srv.assertHealthy();
            return;
        }
        RawSocket s = RawSocket.open(srv.port(), k.path());
        try {
            boolean sio = k.path().startsWith("/socket.io/");
            boolean tokenInUrl = k.path().contains("token=");
            if (sio) {
                assertTrue(s.nextText().startsWith("0{"), "Engine.IO open");
            } else if (!k.server().equals("secured") || tokenInUrl) {
                String first = s.nextNonPing();
                if (k.kind() == Kind.CLOSE && tokenInUrl && k.expect().equals("1008")) {
                    // a refused token: the error frame comes instead of the greeting, then the close
                    assertEquals("unauthorized", MAPPER.readTree(first).path("code").asText(), first);
                } else {
                    assertTrue(first.contains("\"connection\""), first);
                }
            }
            for (String step : k.setup()) {
                s.send(step);
                if (step.startsWith("40")) {
                    assertTrue(s.nextNonPing().startsWith("40"), "namespace connected");
                }
            }
            if (k.frame() != null) {
                s.sendQuietly(k.frame());
            } else if (k.binary() != null) {
                s.sendBinaryQuietly(k.binary());
            }
            switch (k.kind()) {
                case NATIVE_ERROR -> {
                    JsonNode err = MAPPER.readTree(s.nextNonPing());
                    assertEquals("error", err.path("type").asText(), err.toString());
                    assertEquals(k.expect(), err.path("code").asText(), err.toString());
                    assertTrue(!err.path("message").asText().isBlank());
                }
                case CLOSE, SIO_CLOSE -> {
                    assertTrue(s.awaitClose(5000), "connection closed");
                    assertEquals(Integer.parseInt(k.expect()), s.closeCode());
                }
                case SIO_EXCEPTION -> {
                    String f = s.nextNonPing();
                    JsonNode args = MAPPER.readTree(f.substring(f.indexOf('[')));
                    assertEquals("exception", args.get(0).asText(), f);
                    assertEquals(k.expect(), args.get(1).path("code").asText(), f);
                }
                case SIO_NO_ANSWER -> {
                    s.send(k.expect()); // a known event with ack id 8: its ack is the next frame, nothing for 7
                    String f = s.nextNonPing();
                    assertTrue(f.startsWith("43/jobs,8["), f);
                }
                case SIO_CONNECT_ERROR -> {
                    String f = s.nextNonPing();
                    assertTrue(f.startsWith("44"), f);
                    JsonNode body = MAPPER.readTree(f.substring(f.indexOf('{')));
                    assertEquals(k.expect(), body.path("data").path("code").asText(), f);
                    assertTrue(!body.path("message").asText().isBlank());
                }
                case SIO_ACK_REFUSED -> {
                    String f = s.nextNonPing();
                    JsonNode ack = MAPPER.readTree(f.substring(f.indexOf('[')));
                    assertEquals(false, ack.get(0).path("success").asBoolean(), f);
                    assertEquals(k.expect(), ack.get(0).path("room").asText(), f);
                }
                default -> throw new AssertionError(k.kind());
            }
        } finally {
            s.close();
        }
        srv.assertHealthy();
    }
}

package dev.realtime.jakarta.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.realtime.jakarta.server.RealtimeServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request bodies read without blocking a worker, over keep-alive connections whose bodies arrive in pieces (as
 * Java's and browsers' clients send them: the head, then the body, in separate writes): every request gets its own
 * answer at once. Before the fix, a body complete in one read left a second read of the connection behind it, and
 * now and then the next request's body went to that read: the request waited for the guard's 408 (or got 400).
 */
@Timeout(60)
class KeepAliveBodiesTest {
    private static final int CLIENTS = 4;
    private static final int CONNECTIONS_PER_CLIENT = 2;
    private static final int REQUESTS = 250; // per connection: Grizzly closes a connection after 256

    @Test
    void everyPiecewiseBodyOnAKeptAliveConnectionIsAnsweredAtOnce() throws Exception {
        try (RealtimeServer server = RealtimeServer.builder().port(0).host("127.0.0.1").build()) {
            int port = server.start();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    results.add(clients.submit(() -> {
                        List<String> wrong = new ArrayList<>();
                        for (int k = 0; k < CONNECTIONS_PER_CLIENT && wrong.isEmpty(); k++) {
                            wrong.addAll(exchange(port, client * CONNECTIONS_PER_CLIENT + k));
                        }
                        return wrong;
                    }));
                }
                List<String> wrong = new ArrayList<>();
                for (Future<List<String>> r : results) {
                    wrong.addAll(r.get());
                }
                assertEquals(List.of(), wrong, "requests not answered 201");
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /** A body of several hundred KB, in ten writes, is read whole (in 64 KiB wake-ups), twice on one connection. */
    @Test
    void aLargeBodyInManyPiecesIsReadWholeAndTheConnectionGoesOn() throws Exception {
        try (RealtimeServer server = RealtimeServer.builder().port(0).host("127.0.0.1").build();
             RawHttp h = RawHttp.connect(server.start())) {
            h.noDelay();
            h.timeout(5_000); // a body that arrived but was never read gets no 408 (its rate was fine): fail here
            for (int round = 0; round < 2; round++) {
                String body = "{\"type\":\"progress\",\"progress\":" + round + ",\"message\":\""
                        + "m".repeat(600_000) + "\"}";
                h.send("POST /api/jobs/large/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n");
                int piece = body.length() / 10 + 1;
                for (int at = 0; at < body.length(); at += piece) {
                    pause();
                    h.send(body.substring(at, Math.min(body.length(), at + piece)));
                }
                String response = h.readResponse();
                assertEquals(201, RawHttp.status(response), response); // a truncated or torn body is 400
            }
        }
    }

    /** One kept-alive connection, its requests in the three shapes in turn; returns the ones not answered 201. */
    private static List<String> exchange(int port, int connection) throws IOException {
        List<String> wrong = new ArrayList<>();
        try (RawHttp h = RawHttp.connect(port)) {
            h.noDelay();
            h.timeout(3_000); // well under the guard's 5 s grace: a stalled body fails here, by name
            for (int i = 0; i < REQUESTS; i++) {
                String body = "{\"type\":\"progress\",\"progress\":" + (i % 100) + "}";
                String path = "POST /api/jobs/keepalive-" + connection + "/events HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\n";
                String response;
                try {
                    send(h, i, path, body);
                    response = h.readResponse();
                } catch (java.net.SocketTimeoutException e) {
                    wrong.add("connection " + connection + " request " + i + ": no answer in 3 s");
                    return wrong;
                } catch (IOException e) {
                    wrong.add("connection " + connection + " request " + i + ": " + e);
                    return wrong;
                }
                if (RawHttp.status(response) != 201) {
                    wrong.add("connection " + connection + " request " + i + ": " + response);
                    return wrong; // the server closes after an error
                }
            }
        }
        return wrong;
    }

    /** Sends request {@code i} in one of three shapes, by turn. */
    private static void send(RawHttp h, int i, String path, String body) throws IOException {
        switch (i % 3) {
            case 0 -> { // head and the first bytes together, the rest in two writes
                h.send(path + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 5));
                pause();
                h.send(body.substring(5, 12));
                h.send(body.substring(12));
            }
            case 1 -> { // the head, then the body (what java.net.http does)
                h.send(path + "Content-Length: " + body.length() + "\r\n\r\n");
                pause();
                h.send(body);
            }
            default -> { // chunked, one chunk per write
                h.send(path + "Transfer-Encoding: chunked\r\n\r\n");
                h.send(Integer.toHexString(10) + "\r\n" + body.substring(0, 10) + "\r\n");
                pause();
                h.send(Integer.toHexString(body.length() - 10) + "\r\n" + body.substring(10) + "\r\n0\r\n\r\n");
            }
        }
    }

    /**
     * A client's pause between two writes, so that the server reads them apart, as it does over a real network.
     * It shapes what is sent; it never waits for the server (every wait for an answer is a blocking read).
     */
    private static void pause() throws IOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }
}

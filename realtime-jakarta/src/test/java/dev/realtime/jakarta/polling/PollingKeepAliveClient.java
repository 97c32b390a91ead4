package dev.realtime.jakarta.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A polling client as fast as a browser's, against any server with the {@code /peer} echo namespace: it sends its
 * next GET on the same keep-alive connection the moment the previous response is in, while the server may still
 * be finishing that exchange, and every GET must be answered. Each round POSTs four 6 KB echoes, so poll
 * responses are ~24 KB, over the container's output buffer. Reconnects after {@code Connection: close}.
 */
public final class PollingKeepAliveClient {
    private static final String RS = "\u001e";
    private final int port;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public PollingKeepAliveClient(int port) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
    }

    private String post(String sid, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** Runs {@code rounds} rounds; fails (AssertionError) when a GET is not answered within 5 s. */
    public void run(int rounds) throws Exception {
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String body = open.body();
        int at = body.indexOf("\"sid\":\"");
        String sid = body.substring(at + 7, body.indexOf('"', at + 7));
        post(sid, "40/peer,");
        String big = "x".repeat(6_000);
        byte[] get = ("GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Conn c = new Conn();
        try {
            c.send(get);
            assertTrue(c.read().startsWith("40/peer,"), "the CONNECT reply");
            int next = 0;
            for (int round = 0; round < rounds; round++) {
                c.send(get); // at once, as a browser does
                StringBuilder packets = new StringBuilder();
                for (int i = 0; i < 4; i++) {
                    packets.append(i == 0 ? "" : RS).append("42/peer,").append(next++)
                            .append("[\"echo\",\"").append(big).append("\"]");
                }
                post(sid, packets.toString());
                int acks = 0;
                while (true) {
                    try {
                        acks += acks(c.read());
                    } catch (java.net.SocketTimeoutException e) {
                        throw new AssertionError("a GET of round " + round + " was never answered", e);
                    }
                    if (acks >= 4) {
                        break;
                    }
                    c.send(get);
                }
            }
        } finally {
            c.close();
        }
    }

    /** One keep-alive connection, opened again after a response that says {@code Connection: close}. */
    private final class Conn {
        private Socket socket;

        void send(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(5_000);
            }
            socket.getOutputStream().write(request);
        }

        String read() throws IOException {
            String[] r = readResponse(socket.getInputStream());
            if (r[0].toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close")) {
                close();
            }
            return r[1];
        }

        void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    private static int acks(String payload) {
        int n = 0;
        for (String p : payload.split(RS)) {
            n += p.startsWith("43/peer,") ? 1 : 0;
        }
        return n;
    }

    /** Reads one HTTP response with a Content-Length body; returns its head and body. */
    private static String[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        String lower = h.toLowerCase(java.util.Locale.ROOT);
        int cl = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(cl + 15, lower.indexOf("\r\n", cl)).trim());
        byte[] b = in.readNBytes(length);
        assertEquals(length, b.length);
        String text = new String(b, StandardCharsets.UTF_8);
        assertTrue(h.startsWith("HTTP/1.1 200"), () -> h + text);
        return new String[] {h, text};
    }
}

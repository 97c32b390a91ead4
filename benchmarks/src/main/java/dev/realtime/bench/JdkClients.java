package dev.realtime.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Clients} on JDK {@code java.net.http} WebSockets: 2 HttpClients (two selector threads) sharing a 4-thread
 * executor, on which the listener callbacks run; each message is decoded to a String. The harness's former (and
 * still selectable, {@code --client jdk}) client, kept so runs compare with earlier figures.
 */
final class JdkClients extends Clients {
    private final ExecutorService executor;
    private final List<HttpClient> http = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    JdkClients() {
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ws-client");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < 2; i++) { // two selector threads
            http.add(HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    @Override
    Conn open(Protocol protocol, int port, String room, long since, int resumeTarget) {
        String path = protocol == Protocol.NATIVE ? "/ws" : "/socket.io/?EIO=4&transport=websocket";
        JdkConn c = new JdkConn(protocol, room, since, resumeTarget);
        http.get(next.getAndIncrement() % http.size()).newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), c)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        c.subscribed.completeExceptionally(e);
                    }
                });
        return c;
    }

    @Override
    void shutdown() {
        executor.shutdownNow();
    }

    /** One JDK WebSocket: protocol state machine on Strings, sends serialized (the JDK allows one outstanding send). */
    static final class JdkConn extends Conn implements WebSocket.Listener {
        private volatile WebSocket ws;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        JdkConn(Protocol protocol, String room, long since, int resumeTarget) {
            super(protocol, room, since, resumeTarget);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.ws = webSocket;
            webSocket.request(Long.MAX_VALUE);
            if (protocol == Protocol.NATIVE) {
                send(nativeSubscribe());
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
                return null;
            }
            String msg;
            if (partial.length() > 0) {
                partial.append(data);
                msg = partial.toString();
                partial.setLength(0);
            } else {
                msg = data.toString();
            }
            if (protocol == Protocol.NATIVE) {
                onNative(msg);
            } else {
                onSocketIo(msg);
            }
            return null;
        }

        private void onNative(String msg) {
            int ts = msg.lastIndexOf("\"ts\":");
            if (ts >= 0 && msg.startsWith("{\"type\":\"event\"")) {
                event(msg, ts);
            } else if (msg.startsWith("{\"type\":\"subscribed\"")) {
                subscribed.complete(number(msg, msg.indexOf("\"offset\":") + 9));
            } else if (msg.startsWith("{\"type\":\"ping\"")) {
                send("{\"type\":\"pong\"}");
            } else if (msg.startsWith("{\"type\":\"error\"")) {
                subscribed.completeExceptionally(new IllegalStateException(msg));
            }
        }

        private void onSocketIo(String msg) {
            if (msg.startsWith("42/jobs,")) {
                int ts = msg.lastIndexOf("\"ts\":");
                if (ts >= 0) {
                    event(msg, ts);
                }
            } else if (msg.equals("2")) {
                send("3");
            } else if (msg.startsWith("0{")) {
                send("40/jobs,");
            } else if (msg.startsWith("40/jobs,")) {
                send(socketIoSubscribe());
            } else if (msg.startsWith("43/jobs,0")) {
                if (msg.contains("\"success\":true")) {
                    subscribed.complete(0L);
                } else {
                    subscribed.completeExceptionally(new IllegalStateException(msg));
                }
            } else if (msg.startsWith("44") || msg.startsWith("1")) {
                subscribed.completeExceptionally(new IllegalStateException(msg));
            }
        }

        private void event(String msg, int tsIndex) {
            Sink s = sink;
            s.record(number(msg, tsIndex + 5));
            if (resumeDone != null) {
                resumedEvent(number(msg, msg.indexOf("\"offset\":") + 9));
            }
        }

        /** The unsigned decimal number at {@code s[from..]}, up to the first non-digit (0 if none). */
        static long number(String s, int from) {
            long v = 0;
            for (int i = from; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch < '0' || ch > '9') {
                    break;
                }
                v = v * 10 + (ch - '0');
            }
            return v;
        }

        synchronized void send(String text) {
            WebSocket w = ws;
            sending = sending.handle((v, e) -> null).thenCompose(v -> w.sendText(text, true));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            subscribed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            subscribed.completeExceptionally(error);
        }

        @Override
        void abort() {
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
        }
    }
}

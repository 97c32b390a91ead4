package dev.realtime.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Engine.IO v4 HTTP long-polling clients (no upgrade), in the harness JVM, for the {@code fan-out-polling}
 * scenario: the same Socket.IO conversation as {@link Clients} ({@code 40/jobs,} connect,
 * {@code 42/jobs,0["subscribe:jobs",{"jobId":..}]} with ack {@code 43/jobs,0[..]}, {@code 2}→{@code 3}), carried by
 * HTTP requests instead of WebSocket frames:
 * <ol>
 *   <li>{@code GET /socket.io/?EIO=4&transport=polling} answers the open packet {@code 0{"sid":..}};</li>
 *   <li>every packet to the server is a {@code POST ...&sid=} (at most one in flight per client, as Engine.IO
 *   requires; packets queued meanwhile go together in the next one, separated by {@code \x1e});</li>
 *   <li>each client keeps exactly one {@code GET ...&sid=} pending; its response carries every packet the server
 *   had queued for that client, separated by {@code \x1e}, and the next GET is sent as soon as it is parsed.</li>
 * </ol>
 * Received {@code job:progress} events feed {@link Clients#sink}: the same publish-to-receive latency (the
 * {@code ts} field) and delivery count as the WebSocket rows. The {@code nio} client (the default) holds two
 * keep-alive connections per session ({@link NioHttpConn}); the {@code jdk} client ({@code java.net.http} over
 * HTTP/1.1) opens one TCP connection per concurrent request (it has no per-host limit; idle ones are pooled and
 * reused), so 1,000 clients hold about 1,000 connections plus those of POSTs in flight; {@link #establishedTo}
 * counts them.
 * Counters ({@link #responses}, {@link #packets}, {@link #posts}) give the packets per poll response of a phase.
 */
final class PollingClients implements AutoCloseable {
    private static final String SEP = "\u001e";

    /** The JDK client's threads and clients ({@code jdk}), or null. */
    private final ExecutorService executor;
    private final List<HttpClient> http = new ArrayList<>();
    /** The raw-NIO client's selector thread ({@code nio}), or null. */
    private final NioClients nio;
    private final List<Client> clients = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    /** Poll (GET) responses received after the handshake, and the Engine.IO packets in them. */
    final LongAdder responses = new LongAdder();
    final LongAdder packets = new LongAdder();
    /** POST requests sent (connect, subscribe, pongs, close). */
    final LongAdder posts = new LongAdder();
    /** Clients that failed or were closed by the server after they had subscribed. */
    final LongAdder failures = new LongAdder();
    /** Requests sent and not yet answered. */
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param kind {@code "nio"}: one selector thread and two raw HTTP/1.1 keep-alive connections per session
     *             ({@link NioHttpConn}: the GET and the POSTs), as the WebSocket harness; {@code "jdk"}: JDK
     *             {@code java.net.http} (2 clients, 2 selector threads, 4 callback threads)
     */
    PollingClients(String kind) {
        if (kind.equals("nio")) {
            executor = null;
            nio = new NioClients(1);
            return;
        }
        nio = null;
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "poll-client");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < 2; i++) {
            http.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                    .connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    int size() {
        return clients.size();
    }

    /**
     * Opens {@code n} polling sessions, session i subscribed to {@code room.apply(i)}, at most 200 handshakes in
     * flight; returns when all are subscribed (each with its GET pending).
     *
     * @throws IllegalStateException when some fail or it takes longer than {@code timeout}
     */
    void connect(int port, int n, IntFunction<String> room, Duration timeout) {
        Semaphore handshakes = new Semaphore(200);
        List<CompletableFuture<Void>> all = new ArrayList<>(n);
        List<Client> opened = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int i = 0; i < n; i++) {
                if (!handshakes.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("connecting timed out after " + i + " of " + n);
                }
                Client c = new Client(port, room.apply(i));
                opened.add(c);
                c.subscribed.whenComplete((v, e) -> handshakes.release());
                all.add(c.subscribed);
                c.start();
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            long ok = all.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
            opened.forEach(Client::stop);
            throw new IllegalStateException("polling: connected and subscribed " + ok + " of " + n + ": " + e, e);
        }
        synchronized (clients) {
            clients.addAll(opened);
        }
    }

    /**
     * Closes every session: an Engine.IO close packet ({@code 1}) is POSTed, which also ends the pending GET, then
     * waits up to 5 s for the outstanding requests to be answered.
     */
    void closeAll() {
        List<Client> closing;
        synchronized (clients) {
            closing = new ArrayList<>(clients);
            clients.clear();
        }
        closing.forEach(Client::stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // the nio client's keep-alive connections go with their sessions, not at the server's idle timeout: else
        // every phase would leave its connections open on the server measured next
        closing.forEach(Client::disconnect);
    }

    @Override
    public void close() {
        closeAll();
        if (executor != null) {
            executor.shutdownNow();
        }
        if (nio != null) {
            nio.shutdown();
        }
    }

    /**
     * Established TCP connections whose remote end is 127.0.0.1:{@code port} (the client ends, on this host), from
     * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (Java's dual-stack sockets show there as
     * {@code ::ffff:127.0.0.1}); -1 where neither can be read.
     */
    static int establishedTo(int port) {
        String hex = String.format(Locale.ROOT, ":%04X", port);
        int n = 0;
        boolean read = false;
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ...; 0100007F = 127.0.0.1, st 01 = ESTABLISHED
                    if (f.length > 3 && f[3].equals("01") && (f[2].equals("0100007F" + hex)
                            || f[2].equals("0000000000000000FFFF00000100007F" + hex))) {
                        n++;
                    }
                }
                read = true;
            } catch (IOException | RuntimeException e) {
                // not there
            }
        }
        return read ? n : -1;
    }

    /** One Engine.IO polling session and its Socket.IO namespace connection. */
    private final class Client {
        private final HttpClient client;
        /** The nio client's connections: the pending GET's and the POSTs'. */
        private final NioHttpConn getConn;
        private final NioHttpConn postConn;
        private final String base;
        private final String path;
        private final String room;
        /** Completes once the subscribe:jobs ack arrived. */
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        private volatile String sid;
        private volatile boolean stopped;
        /** Packets waiting for the POST in flight to finish; guarded by this. */
        private final List<String> outbox = new ArrayList<>();
        private boolean posting;

        Client(int port, String room) {
            this.path = "/socket.io/?EIO=4&transport=polling";
            this.base = "http://127.0.0.1:" + port + path;
            this.room = room;
            if (nio != null) {
                NioClients.Loop loop = nio.nextLoop();
                client = null;
                getConn = new NioHttpConn(loop, port);
                postConn = new NioHttpConn(loop, port);
            } else {
                client = http.get(next.getAndIncrement() % http.size());
                getConn = null;
                postConn = null;
            }
        }

        /** The handshake GET: its body is the open packet (possibly followed by others). */
        void start() {
            request("", null).whenComplete((res, e) -> {
                if (e != null || res.status() != 200) {
                    fail(e != null ? e : new IllegalStateException("handshake " + res.status() + " " + res.body()));
                    return;
                }
                String body = res.body();
                int at = body.indexOf("\"sid\":\"");
                if (!body.startsWith("0{") || at < 0) {
                    fail(new IllegalStateException("no open packet: " + body));
                    return;
                }
                sid = body.substring(at + 7, body.indexOf('"', at + 7));
                onPayload(body, false);
                poll();
            });
        }

        /** Keeps one GET pending: sent again as soon as the previous one's packets are handled. */
        private void poll() {
            if (stopped) {
                return;
            }
            request("&sid=" + sid, null).whenComplete((res, e) -> {
                if (e != null || res.status() != 200) {
                    fail(e != null ? e : new IllegalStateException("poll " + res.status() + " " + res.body()));
                    return;
                }
                responses.increment();
                if (onPayload(res.body(), true)) {
                    poll();
                }
            });
        }

        /** Handles every packet of one response; false when the server closed the session. */
        private boolean onPayload(String body, boolean count) {
            int start = 0;
            int n = 0;
            boolean open = true;
            while (start < body.length()) {
                int end = body.indexOf(SEP, start);
                if (end < 0) {
                    end = body.length();
                }
                open &= onPacket(body.substring(start, end));
                n++;
                start = end + 1;
            }
            if (count) {
                packets.add(n);
            }
            return open;
        }

        /** One Engine.IO packet, as {@link JdkClients.JdkConn} handles a WebSocket frame; false on close. */
        private boolean onPacket(String msg) {
            if (msg.startsWith("42/jobs,")) {
                int ts = msg.lastIndexOf("\"ts\":");
                if (ts >= 0) {
                    Clients.sink.record(JdkClients.JdkConn.number(msg, ts + 5));
                }
            } else if (msg.equals("2")) {
                send("3");
            } else if (msg.startsWith("0{")) {
                send("40/jobs,");
            } else if (msg.startsWith("40/jobs,")) {
                String jobId = room.substring(room.indexOf(':') + 1);
                send("42/jobs,0[\"subscribe:jobs\",{\"jobId\":\"" + jobId + "\"}]");
            } else if (msg.startsWith("43/jobs,0")) {
                if (msg.contains("\"success\":true")) {
                    subscribed.complete(null);
                } else {
                    fail(new IllegalStateException(msg));
                }
            } else if (msg.startsWith("44")) {
                fail(new IllegalStateException(msg));
            } else if (msg.equals("1")) {
                if (!stopped) {
                    fail(new IllegalStateException("closed by the server"));
                }
                return false;
            }
            // 6 (noop) and anything else: nothing to do
            return true;
        }

        /** Queues a packet for the server; POSTed at once unless a POST is in flight (then with the next one). */
        void send(String packet) {
            synchronized (this) {
                outbox.add(packet);
                if (posting) {
                    return;
                }
                posting = true;
            }
            post();
        }

        private void post() {
            String body;
            synchronized (this) {
                if (outbox.isEmpty()) {
                    posting = false;
                    return;
                }
                body = String.join(SEP, outbox);
                outbox.clear();
            }
            posts.increment();
            request("&sid=" + sid, body).whenComplete((res, e) -> {
                if (e != null || res.status() != 200) {
                    synchronized (this) {
                        posting = false;
                    }
                    if (!stopped) {
                        fail(e != null ? e : new IllegalStateException("post " + res.status() + " " + res.body()));
                    }
                    return;
                }
                post();
            });
        }

        /** A GET ({@code body == null}) or a POST of {@code body} to the Engine.IO path plus {@code query}. */
        private CompletableFuture<NioHttpConn.Response> request(String query, String body) {
            inFlight.incrementAndGet();
            CompletableFuture<NioHttpConn.Response> f;
            if (client == null) {
                f = (body == null ? getConn : postConn).request(body == null ? "GET" : "POST", path + query, body);
            } else {
                // a long-poll is held up to pingInterval (25 s on both servers)
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + query)).timeout(Duration.ofSeconds(60));
                b = body == null ? b.GET() : b.header("Content-Type", "text/plain;charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                f = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> new NioHttpConn.Response(r.statusCode(), r.body()));
            }
            return f.whenComplete((r, e) -> inFlight.decrementAndGet());
        }

        private void fail(Throwable e) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (!subscribed.completeExceptionally(e)) {
                failures.increment(); // was subscribed: a client lost during a phase
            }
        }

        /** Closes the nio client's connections (what is still in flight on them fails). */
        void disconnect() {
            if (getConn != null) {
                getConn.close();
                postConn.close();
            }
        }

        /** Stops polling and POSTs the close packet (the server then answers the pending GET). */
        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            if (sid != null) {
                send("1");
            }
        }
    }
}

package dev.realtime.redis;

import dev.realtime.core.broker.Broker;
import dev.realtime.core.broker.Envelope;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/**
 * {@link Broker} over Redis pub/sub: every node publishes envelopes (compact JSON) to one channel
 * ({@code realtime:events} by default) and subscribes to it; a node drops the envelopes it sent itself, because
 * the hub has already delivered those locally.
 *
 * <p><b>Threads.</b> {@link #start} creates ONE subscriber thread ({@code realtime-redis-subscriber-<node>}),
 * which blocks in the subscription, calls the hub's consumer for each remote envelope, and on a connection loss
 * logs, counts and resubscribes by itself with exponential backoff ({@link RedisOptions#reconnectMinBackoff()}
 * to {@link RedisOptions#reconnectMaxBackoff()}). {@link #close} stops and joins that thread. {@code start}
 * waits up to the connect timeout for the first subscription, so a hub that is built is already listening (when
 * Redis is up).
 *
 * <p><b>Delivery.</b> At most once: envelopes published while a node is disconnected are not replayed to it by
 * the broker. For history rooms the hub fills such holes from history on the next event of the stream; events
 * of rooms without history are lost for that node. {@link #publish} runs on the caller's thread, never throws:
 * failures (Redis down) are logged once per outage and counted in {@link #publishFailures()}. It blocks at most
 * for the connect/socket timeouts (a refused connection fails at once). A publish that meets a broken pooled
 * connection (after a Redis restart) is retried once, so in the rare case where only the reply was lost another
 * node may receive an envelope twice (history events are deduplicated by offset on delivery).
 *
 * <p><b>Ownership.</b> A broker built from a URL owns its pool and closes it; with a caller-owned client it
 * holds one of the client's connections for the subscription while running and never closes the client.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final RedisClient client;
    private final String channel;
    private final long minBackoffMillis;
    private final long maxBackoffMillis;
    private final Duration startTimeout;

    private final LongAdder published = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder connectionFailures = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    /** True once per publish outage, so it is logged once. */
    private final AtomicBoolean publishFailing = new AtomicBoolean();
    /** Counted down by close(): ends backoff waits at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch firstSubscription = new CountDownLatch(1);

    private volatile boolean connected;
    private volatile boolean everSubscribed;
    private volatile Listener current;
    /** Set once by start(); read by the subscriber thread. */
    private volatile Thread subscriber;
    private volatile String nodeId;
    private volatile Consumer<Envelope> remote;
    /** Called after each resubscription (events may have been lost meanwhile); never null once started. */
    private volatile Runnable reconnected = () -> { };

    /** A broker over {@code options}' connection and channel; it does nothing until {@link #start}. */
    public RedisBroker(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.channel = options.channel();
        this.minBackoffMillis = options.reconnectMinBackoff().toMillis();
        this.maxBackoffMillis = options.reconnectMaxBackoff().toMillis();
        this.startTimeout = options.connectionTimeout();
        this.client = options.openClient();
    }

    /**
     * Starts the subscriber thread and waits (up to the connect timeout) for the subscription.
     *
     * @throws IllegalStateException when already started or closed
     */
    @Override
    public synchronized void start(String nodeId, Consumer<Envelope> remote, Runnable reconnected) {
        this.reconnected = java.util.Objects.requireNonNull(reconnected, "reconnected");
        start(nodeId, remote);
    }

    @Override
    public synchronized void start(String nodeId, Consumer<Envelope> remote) {
        if (subscriber != null) {
            throw new IllegalStateException("broker already started for node " + this.nodeId);
        }
        if (closing.getCount() == 0) {
            throw new IllegalStateException("broker is closed");
        }
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.remote = Objects.requireNonNull(remote, "remote");
        Thread t = new Thread(this::subscribeLoop, "realtime-redis-subscriber-" + nodeId);
        t.setDaemon(true);
        subscriber = t;
        t.start();
        try {
            if (!firstSubscription.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("node {}: not subscribed to {} within {}; retrying in the background", nodeId, channel,
                        startTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes to the other nodes; failures are logged and counted, never thrown. */
    /**
     * The other nodes subscribed to the channel ({@code PUBSUB NUMSUB} minus this node), or {@code -1} when Redis
     * cannot be asked (the caller then waits for its timeout).
     */
    @Override
    public int otherNodes() {
        try {
            Object reply = client.read("pubsub numsub", j -> j.sendCommand(
                    redis.clients.jedis.Protocol.Command.PUBSUB, "NUMSUB", channel));
            long n = reply instanceof java.util.List<?> l && l.size() == 2 && l.get(1) instanceof Long c ? c : 0;
            return (int) Math.max(0, n - (connected ? 1 : 0));
        } catch (RuntimeException e) {
            log.debug("node {}: PUBSUB NUMSUB failed: {}", nodeId, e.toString());
            return -1;
        }
    }

    @Override
    public void publish(Envelope envelope) {
        if (closing.getCount() == 0) {
            return;
        }
        try {
            String text = EnvelopeCodec.encode(envelope);
            client.writeRetryingOnce("publish", j -> j.publish(channel, text));
            published.increment();
            if (publishFailing.compareAndSet(true, false)) {
                log.info("node {}: publishing to {} works again", nodeId, channel);
            }
        } catch (RuntimeException e) {
            publishFailures.increment();
            if (publishFailing.compareAndSet(false, true)) {
                log.warn("node {}: publishing to {} failed; other nodes miss events until Redis is back "
                        + "(further failures are counted, not logged): {}", nodeId, channel, e.toString());
            } else {
                log.debug("publish failed: {}", e.toString());
            }
        }
    }

    private void subscribeLoop() {
        long backoff = minBackoffMillis;
        boolean failingLogged = false;
        while (closing.getCount() > 0) {
            Listener listener = new Listener();
            current = listener;
            try {
                client.jedis.subscribe(listener, channel); // blocks until unsubscribed or the connection breaks
            } catch (RuntimeException e) {
                if (closing.getCount() == 0) {
                    break;
                }
                connectionFailures.increment();
                if (listener.subscribed) {
                    log.warn("node {}: subscription to {} lost; resubscribing with backoff: {}", nodeId, channel,
                            e.toString());
                } else if (!failingLogged) {
                    log.warn("node {}: cannot subscribe to {}; retrying with backoff (further failures are "
                            + "logged at debug): {}", nodeId, channel, e.toString());
                } else {
                    log.debug("node {}: subscribe failed: {}", nodeId, e.toString());
                }
                failingLogged = true;
            } finally {
                connected = false;
            }
            if (listener.subscribed) {
                backoff = minBackoffMillis; // it had worked: the first retry is quick
            }
            try {
                if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoff = Math.min(maxBackoffMillis, backoff * 2);
        }
        connected = false;
    }

    /** Stops the subscriber thread (waiting for it), then closes the pool if this broker opened it. */
    @Override
    public void close() {
        closing.countDown();
        Listener l = current;
        if (l != null && l.isSubscribed()) {
            try {
                l.unsubscribe();
            } catch (RuntimeException e) {
                log.debug("unsubscribe on close failed: {}", e.toString()); // the loop exits on its own
            }
        }
        Thread t = subscriber;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(startTimeout.toMillis() + 1000);
                if (t.isAlive()) {
                    log.warn("subscriber thread {} did not stop in time", t.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }

    /** The channel envelopes travel on. */
    String channel() {
        return channel;
    }

    /** Whether the subscription is currently established. */
    public boolean connected() {
        return connected;
    }

    /** Envelopes this node published successfully. */
    public long published() {
        return published.sum();
    }

    /** Envelopes received from other nodes (own envelopes excluded). */
    public long received() {
        return received.sum();
    }

    /** Publishes that failed (and were dropped). */
    public long publishFailures() {
        return publishFailures.sum();
    }

    /** Times the subscription was re-established after a loss. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Subscriptions lost, and subscribe attempts that failed. */
    public long connectionFailures() {
        return connectionFailures.sum();
    }

    /** Messages on the channel that were not valid envelopes (dropped). */
    public long malformed() {
        return malformed.sum();
    }

    @Override
    public String toString() {
        return "RedisBroker{node=" + nodeId + ", channel=" + channel + ", connected=" + connected + "}";
    }

    /** One subscription attempt's callbacks, all on the subscriber thread. */
    private final class Listener extends JedisPubSub {
        /** Whether this attempt got as far as a confirmed subscription. Subscriber thread only. */
        boolean subscribed;

        @Override
        public void onSubscribe(String ch, int count) {
            subscribed = true;
            if (closing.getCount() == 0) {
                unsubscribe(); // close() raced with the subscription
                return;
            }
            connected = true;
            if (everSubscribed) {
                reconnects.increment();
                log.info("node {}: resubscribed to {}", nodeId, channel);
                try {
                    reconnected.run(); // the hub catches up from history what pub/sub may have dropped
                } catch (RuntimeException e) {
                    log.warn("reconnect listener failed: {}", e.toString());
                }
            }
            everSubscribed = true;
            firstSubscription.countDown();
        }

        @Override
        public void onMessage(String ch, String message) {
            Envelope env;
            try {
                env = EnvelopeCodec.decode(message);
            } catch (RuntimeException e) {
                malformed.increment();
                log.warn("dropping a malformed message on {}: {}", channel, e.getMessage());
                return;
            }
            if (nodeId.equals(env.origin())) {
                return; // delivered locally by the hub already
            }
            received.increment();
            try {
                remote.accept(env);
            } catch (RuntimeException e) {
                log.error("the hub failed to deliver a remote envelope", e);
            }
        }
    }
}

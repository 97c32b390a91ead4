package dev.realtime.core.internal;

import java.util.concurrent.atomic.LongAdder;

/** The hub's counters; LongAdder so hot paths never contend. */
public final class Counters {
    public final LongAdder published = new LongAdder();
    /** Holes that history could not fill (told to the client as recovered:false), or fills that failed. */
    public final LongAdder gaps = new LongAdder();
    /** Streams restarted under a new epoch because the store handed out an offset again (rollback). */
    public final LongAdder epochResets = new LongAdder();
    public final LongAdder messagesIn = new LongAdder();
    public final LongAdder messagesOut = new LongAdder();
    public final LongAdder conflated = new LongAdder();
    public final LongAdder slowConsumerCloses = new LongAdder();
    public final LongAdder heartbeatCloses = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder authFailures = new LongAdder();
    public final LongAdder rateLimited = new LongAdder();
    public final LongAdder abuseCloses = new LongAdder();
    public final LongAdder handshakesRejected = new LongAdder();
}

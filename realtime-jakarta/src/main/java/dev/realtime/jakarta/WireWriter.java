package dev.realtime.jakarta;

import dev.realtime.core.Transport;

/** Writes complete, pre-encoded WebSocket frames to one connection ({@link TyrusWire#of}); one write at a time. */
interface WireWriter {
    /** Writes {@code frames} (shared, never modified); {@code whenDone} runs once, possibly inline. */
    void write(byte[] frames, Transport.SendCallback whenDone);
}

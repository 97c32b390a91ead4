package dev.realtime.jakarta;

import dev.realtime.core.Transport;
import java.nio.ByteBuffer;

/** Writes complete, pre-encoded WebSocket frames to one connection ({@link TyrusWire#of}); one write at a time. */
interface WireWriter {
    /** Writes {@code frames}; {@code whenDone} runs once, possibly inline. */
    void write(ByteBuffer frames, Transport.SendCallback whenDone);
}

package dev.realtime.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The bytes a harness connection ({@link NioConn}, {@link NioHttpConn}) still has to write: a write goes out at once
 * when nothing waits, and the unwritten rest waits, in order, until the channel is writable ({@link #flush}, with
 * {@code OP_WRITE} set meanwhile). Confined to the connection's loop thread.
 */
final class Outbox {
    private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();

    /** Writes what the socket takes now and queues the rest behind what already waits. */
    void write(SocketChannel channel, SelectionKey key, ByteBuffer b) throws IOException {
        if (waiting.isEmpty()) {
            channel.write(b);
            if (!b.hasRemaining()) {
                return;
            }
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        waiting.add(b);
    }

    /** The channel is writable: writes what waits; back to {@code OP_READ} alone once all of it is out. */
    void flush(SocketChannel channel, SelectionKey key) throws IOException {
        while (!waiting.isEmpty()) {
            ByteBuffer b = waiting.peek();
            channel.write(b);
            if (b.hasRemaining()) {
                return;
            }
            waiting.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    /** Queues {@code b} without writing (before the channel is connected). */
    void hold(ByteBuffer b) {
        waiting.add(b);
    }

    /** The first waiting buffer, removed, or null. */
    ByteBuffer take() {
        return waiting.poll();
    }

    void clear() {
        waiting.clear();
    }
}

package dev.realtime.jakarta.server;

import org.glassfish.grizzly.Buffer;

/**
 * Follows the WebSocket frames a client sends through the byte stream without copying payloads (only the 2–14
 * header bytes of each frame are looked at): it reports an unmasked client frame, the first frame that takes a
 * message past the size limit, and, after that, the end of the client's close frame.
 *
 * <p>A message's size is the sum of its data frames' payload lengths (a text or binary frame starts a message,
 * continuation frames add to it; control frames do not count). Once a message has gone past the limit the scanner
 * is <em>draining</em>: it keeps following frames so that {@link #closeSeen()} tells when the client's close frame
 * has been read whole, and reports no further limits.
 *
 * <p>Not thread-safe: used by one connection's read path.
 */
final class FrameScanner {
    /** {@link #scan} result: nothing to act on. */
    static final int OK = -1;
    /** {@link #scan} result: a client frame is not masked (RFC 6455 §5.1). */
    static final int UNMASKED = -2;

    private final long maxMessageBytes;
    private final byte[] head = new byte[14];
    private int headLen;
    private int headNeed = 2;
    /** Index in the current buffer where the frame being parsed began, or -1 when it began in an earlier one. */
    private int headStart = -1;
    private long payloadLeft;
    private long messageBytes;
    private boolean draining;
    private boolean inClose;
    private boolean closeSeen;

    /** @param maxMessageBytes largest message the client may send; 0 or less: no limit */
    FrameScanner(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Scans {@code b} (its position is not moved).
     *
     * @return {@link #UNMASKED}; or, the first time a message goes past the limit, the index in {@code b} where
     *         the frame that took it past begins (its start clamped to {@code b.position()} when its header began in an
     *         earlier buffer): the bytes before it belong to complete earlier frames; else {@link #OK}
     */
    int scan(Buffer b) {
        int i = b.position();
        int limit = b.limit();
        int result = OK;
        headStart = headLen > 0 ? -1 : i;
        while (i < limit) {
            if (payloadLeft > 0) {
                long skip = Math.min(payloadLeft, limit - i);
                i += (int) skip;
                payloadLeft -= skip;
                if (payloadLeft == 0 && inClose) {
                    closeSeen = true;
                }
                continue;
            }
            if (headLen == 0) {
                headStart = i;
            }
            head[headLen++] = b.get(i++);
            if (headLen == 2) {
                if ((head[1] & 0x80) == 0) {
                    return UNMASKED;
                }
                int len7 = head[1] & 0x7F;
                headNeed = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
            }
            if (headLen >= 2 && headLen == headNeed) {
                long len = payloadLength();
                int opcode = head[0] & 0x0F;
                if (opcode < 8 && !draining) {
                    messageBytes = opcode == 0 ? messageBytes + len : len;
                    if (maxMessageBytes > 0 && (len < 0 || messageBytes < 0 || messageBytes > maxMessageBytes)) {
                        draining = true;
                        result = Math.max(headStart, b.position());
                    }
                }
                inClose = draining && opcode == 8;
                payloadLeft = len;
                headLen = 0;
                headNeed = 2;
                if (inClose && len == 0) {
                    closeSeen = true;
                }
            }
        }
        return result;
    }

    /** True once a message went past the limit: later bytes are only followed, not passed on. */
    boolean draining() {
        return draining;
    }

    /** True once, while draining, the client's close frame has been read whole. */
    boolean closeSeen() {
        return closeSeen;
    }

    private long payloadLength() {
        int len7 = head[1] & 0x7F;
        if (len7 == 126) {
            return ((head[2] & 0xFFL) << 8) | (head[3] & 0xFFL);
        }
        if (len7 == 127) {
            long len = 0;
            for (int k = 2; k < 10; k++) {
                len = (len << 8) | (head[k] & 0xFFL);
            }
            return len;
        }
        return len7;
    }
}

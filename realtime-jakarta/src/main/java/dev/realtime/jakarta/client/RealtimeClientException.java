package dev.realtime.jakarta.client;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;

/**
 * A failure seen by {@link RealtimeClient}: an {@code error} frame from the server (its {@link #wireCode()} is the
 * frame's {@code code}, e.g. {@code unknown_event}), or a client-side condition such as a full offline queue
 * ({@code offline_queue_full}), an ack timeout ({@code timeout}), a dropped connection ({@code disconnected}) or a
 * closed client ({@code closed}).
 *
 * @since 0.1
 */
public class RealtimeClientException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    /** Emits while disconnected exceeded the offline queue. */
    public static final String OFFLINE_QUEUE_FULL = "offline_queue_full";
    /** No acknowledgement within the ack timeout. */
    public static final String TIMEOUT = "timeout";
    /** The connection dropped before the server answered; the request may or may not have been processed. */
    public static final String DISCONNECTED = "disconnected";
    /** The client was closed, or gave up reconnecting. */
    public static final String CLOSED = "closed";

    private final String wireCode;

    public RealtimeClientException(String wireCode, String message) {
        super(codeOf(wireCode), message);
        this.wireCode = wireCode;
    }

    /** The code as sent by the server ({@code bad_request}, {@code unknown_event}, ...) or a client-side code. */
    public String wireCode() {
        return wireCode;
    }

    static ErrorCode codeOf(String wire) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.wire().equals(wire)) {
                return c;
            }
        }
        return switch (wire) {
            case OFFLINE_QUEUE_FULL -> ErrorCode.RATE_LIMITED;
            case TIMEOUT, DISCONNECTED, CLOSED -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
    }
}

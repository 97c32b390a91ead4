package dev.realtime.core;

import java.util.Objects;

/**
 * Root of the library's single unchecked exception hierarchy. Every exception carries an {@link ErrorCode}, so
 * that a failure raised anywhere (an application handler, a store, an LLM call) reaches the client as an
 * {@code error} frame with a stable code and a human-readable message.
 *
 * <p>Application handlers may throw it directly ({@code throw new RealtimeException(ErrorCode.NOT_FOUND, "no
 * such quiz")}); any other exception escaping a handler is reported to the client as {@link ErrorCode#INTERNAL}
 * without its message.
 *
 * @since 0.1
 */
public class RealtimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    /** Extra data for the client (Socket.IO's {@code err.data}); serialized with the hub's mapper. */
    private transient Object data;

    public RealtimeException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public RealtimeException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The code sent to clients. */
    public ErrorCode code() {
        return code;
    }

    /**
     * Attaches data for the client: a middleware's rejection carries it as the {@code connect_error}'s
     * {@code data}. Returns this exception, so {@code throw new RealtimeException(...).withData(Map.of(...))}.
     */
    public RealtimeException withData(Object data) {
        this.data = data;
        return this;
    }

    /** The data attached with {@link #withData}, or {@code null}. */
    public Object data() {
        return data;
    }
}

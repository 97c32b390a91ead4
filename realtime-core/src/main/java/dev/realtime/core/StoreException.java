package dev.realtime.core;

/**
 * A history, presence or other store could not serve a call (backend down, timeout, corrupt data). Reported to
 * clients as {@link ErrorCode#UNAVAILABLE}.
 *
 * @since 0.1
 */
public class StoreException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }

    public StoreException(String message) {
        super(ErrorCode.UNAVAILABLE, message);
    }
}

package dev.realtime.core.security;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;

/**
 * Credentials are missing, malformed, forged, expired or not yet valid. Reported as {@code unauthorized}; the
 * message says which, without echoing the token.
 *
 * @since 0.1
 */
public class AuthenticationException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(ErrorCode.UNAUTHORIZED, message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(ErrorCode.UNAUTHORIZED, message, cause);
    }
}

package dev.realtime.jakarta.server;

import dev.realtime.core.ErrorCode;

/** An HTTP error of the server's API with its status and code; answered as the JSON error body. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final ErrorCode code;

    HttpError(int status, ErrorCode code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }
}

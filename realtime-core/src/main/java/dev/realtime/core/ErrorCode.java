package dev.realtime.core;

/**
 * The error codes a client can see, on every protocol. The {@link #wire()} form is what goes into an
 * {@code error} frame ({@code "code":"forbidden"}) and into Socket.IO error payloads.
 *
 * @since 0.1
 */
public enum ErrorCode {
    /** Malformed frame, missing or ill-typed field, unknown message type or room syntax. */
    BAD_REQUEST("bad_request"),
    /** No credentials, or credentials that do not verify. */
    UNAUTHORIZED("unauthorized"),
    /** Authenticated, but not allowed to do this (e.g. join another user's room). */
    FORBIDDEN("forbidden"),
    /** The referenced job, quiz, file or stream does not exist. */
    NOT_FOUND("not_found"),
    /** A rate limit was exceeded; retrying later may succeed. */
    RATE_LIMITED("rate_limited"),
    /** A frame, payload or request exceeds a configured size. */
    TOO_LARGE("too_large"),
    /** An inbound event that no handler is registered for. */
    UNKNOWN_EVENT("unknown_event"),
    /** A dependency (history store, broker, LLM) is temporarily unavailable. */
    UNAVAILABLE("unavailable"),
    /** A bug or an unexpected failure on the server side. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The lower-case code used on the wire, e.g. {@code "rate_limited"}. */
    public String wire() {
        return wire;
    }
}

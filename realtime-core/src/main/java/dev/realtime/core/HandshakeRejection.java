package dev.realtime.core;

/**
 * Why an upgrade request is refused before any WebSocket is opened: the HTTP status and body the adapter must
 * answer with (e.g. Engine.IO's {@code 400 {"code":0,"message":"Transport unknown"}}).
 *
 * @param status      HTTP status
 * @param contentType body content type
 * @param body        response body
 * @since 0.1
 */
public record HandshakeRejection(int status, String contentType, String body) {
}

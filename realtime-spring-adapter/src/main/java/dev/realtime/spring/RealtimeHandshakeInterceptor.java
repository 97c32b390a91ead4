package dev.realtime.spring;

import dev.realtime.core.Handshake;
import dev.realtime.core.HandshakeRejection;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Runs the hub's admission checks on the HTTP upgrade request, before any WebSocket is opened: origin allow-list
 * (403), handshakes and connections per address (429) and, for Socket.IO, Engine.IO's {@code EIO=4} and
 * {@code transport=websocket} (400 with Engine.IO's error body). A refused request is answered with the
 * rejection's status and body and never upgraded. An admitted request's {@link Handshake} (path, headers, decoded
 * query, client address) is stored in the session attributes under
 * {@link RealtimeWebSocketHandler#HANDSHAKE_ATTRIBUTE} for the handler.
 *
 * <p>Stateless and thread-safe. Never throws: an unexpected failure is answered with 500.
 *
 * @since 0.1
 */
public class RealtimeHandshakeInterceptor implements HandshakeInterceptor {
    private static final Logger log = LoggerFactory.getLogger(RealtimeHandshakeInterceptor.class);

    private final RealtimeHub hub;
    private final Protocol protocol;

    /**
     * @param hub      the hub whose checks apply (not owned)
     * @param protocol the protocol of the endpoint this interceptor guards
     */
    public RealtimeHandshakeInterceptor(RealtimeHub hub, Protocol protocol) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler wsHandler, Map<String, Object> attributes) {
        try {
            Handshake handshake = Handshakes.of(request);
            Optional<HandshakeRejection> refused = hub.checkHandshake(protocol, handshake);
            if (refused.isPresent()) {
                reject(response, refused.get());
                return false;
            }
            attributes.put(RealtimeWebSocketHandler.HANDSHAKE_ATTRIBUTE, handshake);
            return true;
        } catch (RuntimeException e) {
            log.error("upgrade request {} failed the admission check", request.getURI().getPath(), e);
            response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
            return false;
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                               Exception exception) {
        // nothing to do: the handler attaches the connection once it is open
    }

    private static void reject(ServerHttpResponse response, HandshakeRejection rejection) {
        response.setStatusCode(HttpStatusCode.valueOf(rejection.status()));
        byte[] body = rejection.body().getBytes(StandardCharsets.UTF_8);
        response.getHeaders().setContentType(MediaType.parseMediaType(rejection.contentType()));
        response.getHeaders().setContentLength(body.length);
        try {
            response.getBody().write(body);
        } catch (IOException e) {
            log.debug("could not write the {} rejection body: {}", rejection.status(), e.toString());
        }
    }
}

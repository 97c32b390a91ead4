package dev.realtime.spring.autoconfigure;

import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.spring.RealtimeHandshakeInterceptor;
import dev.realtime.spring.RealtimePollingFilter;
import dev.realtime.spring.RealtimeWebSocketHandler;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Serves the hub over Spring's servlet WebSocket support: a {@link RealtimeWebSocketHandler} with a
 * {@link RealtimeHandshakeInterceptor} per protocol, registered through a {@link WebSocketConfigurer} at
 * {@code realtime.native.path} ({@code /ws}) and {@code realtime.socket-io.path} ({@code /socket.io/}), and the
 * container's default message buffers raised to {@code realtime.max-frame-size}.
 *
 * <p>Origins: Spring's own same-origin check is opened ({@code setAllowedOriginPatterns("*")}) because the hub
 * checks {@code realtime.allowed-origins} itself and answers 403 before upgrading.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RealtimeHub.class, WebSocketConfigurer.class})
@ConditionalOnBean(RealtimeHub.class)
@EnableWebSocket
public class RealtimeWebSocketAutoConfiguration {

    /** The native protocol handler; absent when {@code realtime.native.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean(name = "realtimeNativeWebSocketHandler")
    @ConditionalOnProperty(prefix = "realtime.native", name = "enabled", matchIfMissing = true)
    public RealtimeWebSocketHandler realtimeNativeWebSocketHandler(RealtimeHub hub, RealtimeProperties properties) {
        return new RealtimeWebSocketHandler(hub, Protocol.NATIVE, maxMessageBytes(properties));
    }

    /** The Socket.IO handler; absent when {@code realtime.socket-io.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean(name = "realtimeSocketIoWebSocketHandler")
    @ConditionalOnProperty(prefix = "realtime.socket-io", name = "enabled", matchIfMissing = true)
    public RealtimeWebSocketHandler realtimeSocketIoWebSocketHandler(RealtimeHub hub,
                                                                     RealtimeProperties properties) {
        return new RealtimeWebSocketHandler(hub, Protocol.SOCKET_IO, maxMessageBytes(properties));
    }

    /**
     * Engine.IO long-polling on the Socket.IO path (socket.io-client's default first transport), beside the
     * WebSocket handler; absent when {@code realtime.socket-io.enabled=false}.
     */
    @Bean
    @ConditionalOnMissingBean(name = "realtimePollingFilter")
    @ConditionalOnProperty(prefix = "realtime.socket-io", name = "enabled", matchIfMissing = true)
    public FilterRegistrationBean<RealtimePollingFilter> realtimePollingFilter(RealtimeHub hub,
                                                                             RealtimeProperties properties) {
        String path = properties.getSocketIo().getPath();
        FilterRegistrationBean<RealtimePollingFilter> registration =
                new FilterRegistrationBean<>(new RealtimePollingFilter(hub, path));
        registration.setUrlPatterns(List.of(paths(path)));
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    /** Maps the handlers to their paths. */
    @Bean
    @ConditionalOnMissingBean(name = "realtimeWebSocketConfigurer")
    public WebSocketConfigurer realtimeWebSocketConfigurer(
            RealtimeHub hub, RealtimeProperties properties,
            @Qualifier("realtimeNativeWebSocketHandler") ObjectProvider<RealtimeWebSocketHandler> nativeHandler,
            @Qualifier("realtimeSocketIoWebSocketHandler") ObjectProvider<RealtimeWebSocketHandler> socketIoHandler) {
        return registry -> {
            nativeHandler.ifAvailable(h -> register(registry, hub, h, paths(properties.getNative().getPath())));
            socketIoHandler.ifAvailable(h -> register(registry, hub, h, paths(properties.getSocketIo().getPath())));
        };
    }

    private static void register(WebSocketHandlerRegistry registry, RealtimeHub hub, RealtimeWebSocketHandler handler,
                                 String[] paths) {
        registry.addHandler(handler, paths)
                .addInterceptors(new RealtimeHandshakeInterceptor(hub, handler.protocol()))
                .setAllowedOriginPatterns("*");
    }

    /** The path, plus its twin with or without a trailing slash (Spring 6 matches paths exactly). */
    static String[] paths(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a realtime endpoint path must start with '/': " + path);
        }
        List<String> out = new ArrayList<>(List.of(path));
        if (path.length() > 1) {
            out.add(path.endsWith("/") ? path.substring(0, path.length() - 1) : path + "/");
        }
        return out.toArray(String[]::new);
    }

    static int maxMessageBytes(RealtimeProperties properties) {
        long frame = properties.getMaxFrameSize().toBytes();
        long payload = properties.getSocketIo().getMaxPayload().toBytes();
        return Math.toIntExact(Math.max(frame, properties.getSocketIo().isEnabled() ? payload : 0));
    }

    /** Container-wide buffer sizes, when the servlet container is a Jakarta WebSocket one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ServerContainer.class)
    static class ContainerBuffers {

        @Bean
        @ConditionalOnMissingBean
        RealtimeServerContainerBuffers realtimeServerContainerBuffers(RealtimeProperties properties) {
            return new RealtimeServerContainerBuffers(maxMessageBytes(properties));
        }
    }

    /**
     * Raises the Jakarta {@link ServerContainer}'s default text and binary message buffers to the hub's largest
     * inbound message, so the container does not refuse (1009) what the hub accepts; buffers already larger (set
     * by the application for other endpoints) are kept. Does nothing when the servlet context has no WebSocket
     * container (e.g. a mock servlet context in tests).
     */
    static final class RealtimeServerContainerBuffers implements ServletContextAware {
        private static final Logger log = LoggerFactory.getLogger(RealtimeServerContainerBuffers.class);
        private final int bytes;

        RealtimeServerContainerBuffers(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public void setServletContext(ServletContext servletContext) {
            Object attribute = servletContext.getAttribute("jakarta.websocket.server.ServerContainer");
            if (attribute instanceof ServerContainer container) {
                if (container.getDefaultMaxTextMessageBufferSize() < bytes) {
                    container.setDefaultMaxTextMessageBufferSize(bytes);
                }
                if (container.getDefaultMaxBinaryMessageBufferSize() < bytes) {
                    container.setDefaultMaxBinaryMessageBufferSize(bytes);
                }
            } else {
                log.debug("no Jakarta WebSocket ServerContainer in the servlet context; buffers left as they are");
            }
        }

        int bytes() {
            return bytes;
        }
    }
}

package dev.realtime.spring.autoconfigure;

import dev.realtime.core.Defaults;
import dev.realtime.core.SocketIoOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the auto-configured {@link dev.realtime.core.RealtimeHub} and its WebSocket endpoints, bound from
 * {@code realtime.*}. Every default is the hub's own default, so an empty configuration gives the same hub as
 * {@code RealtimeHub.builder().build()} with both endpoints on.
 *
 * <p>Mutable JavaBean for Spring's binder; read it once, when the hub is built.
 *
 * @since 0.1
 */
@ConfigurationProperties("realtime")
public class RealtimeProperties {

    /** The native JSON protocol on a plain WebSocket ({@code realtime.native.*}). */
    private final Native nativeProtocol = new Native();

    /** Socket.IO v4 (Engine.IO v4 over WebSocket). */
    private final SocketIo socketIo = new SocketIo();

    /** Server heartbeats of the native protocol. */
    private final Heartbeat heartbeat = new Heartbeat();

    /** Per-room event history behind resume ({@code since}) and gap detection. */
    private final History history = new History();

    /** Frames queued per connection before it counts as a slow consumer (progress is conflated beyond it). */
    private int sendQueueCapacity = Defaults.SEND_QUEUE_CAPACITY;
    /** Bytes queued per connection before it counts as slow. */
    private long sendQueueBytes = Defaults.SEND_QUEUE_BYTES;

    /** How long a connection may stay over its send-queue bound before it is closed (1008). */
    private Duration slowConsumerTimeout = Defaults.SLOW_CONSUMER_TIMEOUT;

    /** Largest inbound WebSocket message; larger ones close the connection with 1009. */
    private DataSize maxFrameSize = DataSize.ofBytes(Defaults.MAX_FRAME_BYTES);

    /**
     * Origins allowed to open a WebSocket (exact match, e.g. {@code https://app.example.com}); others get 403.
     * Empty: every origin. Requests without an Origin header (non-browsers) are always allowed.
     */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Token verification; on when {@code hmac-secret} or {@code jwks-uri} is set. */
    private final Jwt jwt = new Jwt();

    /** Abuse limits. */
    private final Limits limits = new Limits();

    /** Redis as the shared engine of a cluster (history, fan-out, Socket.IO recovery). */
    private final Redis redis = new Redis();

    /** The native protocol endpoint (property {@code realtime.native.*}). */
    public Native getNative() {
        return nativeProtocol;
    }

    public SocketIo getSocketIo() {
        return socketIo;
    }

    public Heartbeat getHeartbeat() {
        return heartbeat;
    }

    public History getHistory() {
        return history;
    }

    public int getSendQueueCapacity() {
        return sendQueueCapacity;
    }

    public void setSendQueueCapacity(int sendQueueCapacity) {
        this.sendQueueCapacity = sendQueueCapacity;
    }

    public long getSendQueueBytes() {
        return sendQueueBytes;
    }

    public void setSendQueueBytes(long sendQueueBytes) {
        this.sendQueueBytes = sendQueueBytes;
    }

    public Duration getSlowConsumerTimeout() {
        return slowConsumerTimeout;
    }

    public void setSlowConsumerTimeout(Duration slowConsumerTimeout) {
        this.slowConsumerTimeout = slowConsumerTimeout;
    }

    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public Jwt getJwt() {
        return jwt;
    }

    public Limits getLimits() {
        return limits;
    }

    public Redis getRedis() {
        return redis;
    }

    /** The native protocol endpoint. */
    public static class Native {

        /** Whether the native protocol endpoint is registered. */
        private boolean enabled = true;

        /** Request path of the native protocol endpoint. */
        private String path = "/ws";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /** Socket.IO endpoint and Engine.IO settings; defaults are the reference server's. */
    public static class SocketIo {

        /** Whether Socket.IO is served; when off the hub refuses Socket.IO connections. */
        private boolean enabled = true;

        /** Request path of the Engine.IO endpoint (socket.io-client's {@code path} option). */
        private String path = "/socket.io/";

        /** Period of Engine.IO pings. */
        private Duration pingInterval = SocketIoOptions.defaults().pingInterval();

        /** Time a client has to answer a ping before it is disconnected. */
        private Duration pingTimeout = SocketIoOptions.defaults().pingTimeout();

        /** Largest accepted Engine.IO packet (advertised to the client in the open packet). */
        private DataSize maxPayload = DataSize.ofBytes(SocketIoOptions.defaults().maxPayload());

        /** Time allowed between the open packet and the first namespace CONNECT. */
        private Duration connectTimeout = SocketIoOptions.defaults().connectTimeout();

        /** Connection state recovery: a socket that reconnects in time gets the events it missed. */
        private final Recovery recovery = new Recovery();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public Duration getPingInterval() {
            return pingInterval;
        }

        public void setPingInterval(Duration pingInterval) {
            this.pingInterval = pingInterval;
        }

        public Duration getPingTimeout() {
            return pingTimeout;
        }

        public void setPingTimeout(Duration pingTimeout) {
            this.pingTimeout = pingTimeout;
        }

        public DataSize getMaxPayload() {
            return maxPayload;
        }

        public void setMaxPayload(DataSize maxPayload) {
            this.maxPayload = maxPayload;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Recovery getRecovery() {
            return recovery;
        }
    }

    /** Socket.IO connection state recovery. */
    public static class Recovery {

        /** Whether connection state recovery is on. */
        private boolean enabled = true;

        /** How long after a disconnection a socket's session can still be recovered. */
        private Duration maxDisconnectionDuration = SocketIoOptions.defaults().maxDisconnectionDuration();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getMaxDisconnectionDuration() {
            return maxDisconnectionDuration;
        }

        public void setMaxDisconnectionDuration(Duration maxDisconnectionDuration) {
            this.maxDisconnectionDuration = maxDisconnectionDuration;
        }
    }

    /** Native-protocol heartbeats. */
    public static class Heartbeat {

        /** Period of server pings (also announced to the client as {@code heartbeatMs}). */
        private Duration interval = Defaults.HEARTBEAT_INTERVAL;

        /** Extra time a silent client gets after an interval before it is closed (1001). */
        private Duration timeout = Defaults.HEARTBEAT_TIMEOUT;

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** History per stream (job rooms by default). */
    public static class History {

        /** Events kept per history stream. */
        private int size = Defaults.HISTORY_SIZE;

        /** How long history is kept. */
        private Duration retention = Defaults.HISTORY_RETENTION;

        /** Most events one resume replays; a client that missed more gets recovered:false and the state. */
        private int replayLimit = Defaults.REPLAY_LIMIT;

        public int getReplayLimit() {
            return replayLimit;
        }

        public void setReplayLimit(int replayLimit) {
            this.replayLimit = replayLimit;
        }

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }
    }

    /** JWT verification (HS256 with a shared secret, or RS256/ES256 keys from a JWKS URL). */
    public static class Jwt extends JwtPropertiesBase {
    }

    /** Abuse limits, enforced and counted by the hub. */
    public static class Limits extends LimitsPropertiesBase {
    }

    /** Redis connection of the cluster engine. */
    public static class Redis {

        /** {@code redis://[user:password@]host:port[/db]} (or {@code rediss://}); Redis is off when unset. */
        private String url;

        /** Prefix of every Redis key and channel the hub uses. */
        private String keyPrefix = "realtime:";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }
}

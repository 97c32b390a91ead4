package dev.realtime.spring.autoconfigure;

import java.time.Duration;

/**
 * The properties of {@link RealtimeProperties.Limits} ({@code realtime.limits.*}), declared here only to keep
 * {@code RealtimeProperties} short: the public nested type {@code RealtimeProperties.Limits} is what Spring binds,
 * what the configuration metadata names and what applications use; it inherits every accessor from this class.
 * Defaults are those of {@link dev.realtime.core.security.Limits#defaults()}. Not meant to be used on its own.
 *
 * <p>Mutable JavaBean for Spring's binder, like {@link RealtimeProperties}; not thread-safe, read once when the
 * hub is built.
 */
abstract class LimitsPropertiesBase {


    /** Sustained inbound messages per second per connection. */
    private int messagesPerSecond = dev.realtime.core.security.Limits.defaults().messagesPerSecond();

    /** Burst of inbound messages per connection (token-bucket size). */
    private int messageBurst = dev.realtime.core.security.Limits.defaults().messageBurst();

    /** Open connections per authenticated user. */
    private int connectionsPerUser = dev.realtime.core.security.Limits.defaults().connectionsPerUser();

    /** Open connections per client address. */
    private int connectionsPerIp = dev.realtime.core.security.Limits.defaults().connectionsPerIp();

    /** Upgrade requests per client address per second (429 beyond). */
    private int handshakesPerIpPerSecond = dev.realtime.core.security.Limits.defaults().handshakesPerIpPerSecond();

    /** Rooms one connection (or Socket.IO socket) may join. */
    private int roomsPerConnection = dev.realtime.core.security.Limits.defaults().roomsPerConnection();

    /** Rejected inbound messages after which a connection is closed (1008). */
    private int abuseThreshold = dev.realtime.core.security.Limits.defaults().abuseThreshold();

    /** How long a connection may stay unauthenticated when it authenticates with a first message. */
    private Duration authTimeout = dev.realtime.core.security.Limits.defaults().authTimeout();

    public int getMessagesPerSecond() {
        return messagesPerSecond;
    }

    public void setMessagesPerSecond(int messagesPerSecond) {
        this.messagesPerSecond = messagesPerSecond;
    }

    public int getMessageBurst() {
        return messageBurst;
    }

    public void setMessageBurst(int messageBurst) {
        this.messageBurst = messageBurst;
    }

    public int getConnectionsPerUser() {
        return connectionsPerUser;
    }

    public void setConnectionsPerUser(int connectionsPerUser) {
        this.connectionsPerUser = connectionsPerUser;
    }

    public int getConnectionsPerIp() {
        return connectionsPerIp;
    }

    public void setConnectionsPerIp(int connectionsPerIp) {
        this.connectionsPerIp = connectionsPerIp;
    }

    public int getHandshakesPerIpPerSecond() {
        return handshakesPerIpPerSecond;
    }

    public void setHandshakesPerIpPerSecond(int handshakesPerIpPerSecond) {
        this.handshakesPerIpPerSecond = handshakesPerIpPerSecond;
    }

    public int getRoomsPerConnection() {
        return roomsPerConnection;
    }

    public void setRoomsPerConnection(int roomsPerConnection) {
        this.roomsPerConnection = roomsPerConnection;
    }

    public int getAbuseThreshold() {
        return abuseThreshold;
    }

    public void setAbuseThreshold(int abuseThreshold) {
        this.abuseThreshold = abuseThreshold;
    }

    public Duration getAuthTimeout() {
        return authTimeout;
    }

    public void setAuthTimeout(Duration authTimeout) {
        this.authTimeout = authTimeout;
    }
}

package dev.realtime.core.security;

import java.time.Duration;

/**
 * Abuse limits, all enforced and counted by the hub. Defaults suit a public server: 50 inbound messages/s per
 * connection (burst 100), 20 connections per user, 200 per IP, 20 handshakes per IP per second, 100 rooms per
 * connection; a connection that keeps breaking its rate limit (200 rejected messages) is closed with 1008.
 *
 * @param messagesPerSecond        sustained inbound messages per connection
 * @param messageBurst             token-bucket size for inbound messages
 * @param connectionsPerUser       open connections per authenticated user
 * @param connectionsPerIp         open connections per client address
 * @param handshakesPerIpPerSecond upgrade requests per address per second
 * @param roomsPerConnection       rooms one connection (or Socket.IO socket) may join
 * @param abuseThreshold           rejected inbound messages after which the connection is closed (1008)
 * @param authTimeout              how long a connection may stay unauthenticated (first-message auth)
 * @since 0.1
 */
public record Limits(int messagesPerSecond, int messageBurst, int connectionsPerUser, int connectionsPerIp,
                     int handshakesPerIpPerSecond, int roomsPerConnection, int abuseThreshold,
                     Duration authTimeout) {
    public Limits {
        if (messagesPerSecond < 1 || messageBurst < 1 || connectionsPerUser < 1 || connectionsPerIp < 1
                || handshakesPerIpPerSecond < 1 || roomsPerConnection < 1 || abuseThreshold < 1) {
            throw new IllegalArgumentException("every limit must be >= 1");
        }
        if (authTimeout == null || authTimeout.isNegative() || authTimeout.isZero()) {
            throw new IllegalArgumentException("authTimeout must be positive");
        }
    }

    public static Limits defaults() {
        return new Limits(50, 100, 20, 200, 20, 100, 200, Duration.ofSeconds(10));
    }

    /** No practical limits: for benchmarks and trusted networks. */
    public static Limits unlimited() {
        return new Limits(Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE / 2, Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(10));
    }

    public Limits withMessageRate(int perSecond, int burst) {
        return new Limits(perSecond, burst, connectionsPerUser, connectionsPerIp, handshakesPerIpPerSecond,
                roomsPerConnection, abuseThreshold, authTimeout);
    }

    public Limits withConnections(int perUser, int perIp) {
        return new Limits(messagesPerSecond, messageBurst, perUser, perIp, handshakesPerIpPerSecond,
                roomsPerConnection, abuseThreshold, authTimeout);
    }

    public Limits withHandshakesPerIpPerSecond(int n) {
        return new Limits(messagesPerSecond, messageBurst, connectionsPerUser, connectionsPerIp, n,
                roomsPerConnection, abuseThreshold, authTimeout);
    }

    public Limits withRoomsPerConnection(int n) {
        return new Limits(messagesPerSecond, messageBurst, connectionsPerUser, connectionsPerIp,
                handshakesPerIpPerSecond, n, abuseThreshold, authTimeout);
    }

    public Limits withAbuseThreshold(int n) {
        return new Limits(messagesPerSecond, messageBurst, connectionsPerUser, connectionsPerIp,
                handshakesPerIpPerSecond, roomsPerConnection, n, authTimeout);
    }

    public Limits withAuthTimeout(Duration timeout) {
        return new Limits(messagesPerSecond, messageBurst, connectionsPerUser, connectionsPerIp,
                handshakesPerIpPerSecond, roomsPerConnection, abuseThreshold, timeout);
    }
}

package dev.realtime.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Engine.IO / Socket.IO settings. Defaults are the reference server's: ping every 25 s, 20 s to answer, 1 MB
 * max payload, 45 s to send the first CONNECT; connection state recovery on, for disconnections up to 2 min.
 *
 * @param pingInterval              server ping period
 * @param pingTimeout               time the client has to answer a ping before the connection is closed
 * @param maxPayload                largest accepted packet in bytes (advertised in the open packet)
 * @param connectTimeout            time allowed between the open packet and the first namespace CONNECT
 * @param recovery                  whether connection state recovery is enabled
 * @param maxDisconnectionDuration  how long a disconnected socket's session can be recovered
 * @since 0.1
 */
public record SocketIoOptions(Duration pingInterval, Duration pingTimeout, int maxPayload, Duration connectTimeout,
                              boolean recovery, Duration maxDisconnectionDuration) {
    public SocketIoOptions {
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
        if (pingInterval.isNegative() || pingInterval.isZero() || pingTimeout.isNegative() || pingTimeout.isZero()) {
            throw new IllegalArgumentException("ping interval and timeout must be positive");
        }
        if (maxPayload < 64) {
            throw new IllegalArgumentException("maxPayload must be >= 64: " + maxPayload);
        }
    }

    /** The reference server's defaults, with recovery on for 2 minutes. */
    public static SocketIoOptions defaults() {
        return new SocketIoOptions(Duration.ofMillis(25_000), Duration.ofMillis(20_000), 1_000_000,
                Duration.ofMillis(45_000), true, Duration.ofMinutes(2));
    }

    public SocketIoOptions withPing(Duration interval, Duration timeout) {
        return new SocketIoOptions(interval, timeout, maxPayload, connectTimeout, recovery, maxDisconnectionDuration);
    }

    public SocketIoOptions withMaxPayload(int bytes) {
        return new SocketIoOptions(pingInterval, pingTimeout, bytes, connectTimeout, recovery, maxDisconnectionDuration);
    }

    public SocketIoOptions withConnectTimeout(Duration timeout) {
        return new SocketIoOptions(pingInterval, pingTimeout, maxPayload, timeout, recovery, maxDisconnectionDuration);
    }

    public SocketIoOptions withRecovery(boolean enabled, Duration maxDisconnection) {
        return new SocketIoOptions(pingInterval, pingTimeout, maxPayload, connectTimeout, enabled, maxDisconnection);
    }
}

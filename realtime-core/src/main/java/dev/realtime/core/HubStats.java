package dev.realtime.core;

/**
 * A point-in-time snapshot of a hub's counters. Counters only grow, gauges are current values.
 *
 * @param connections        open connections (gauge)
 * @param rooms              rooms with at least one local member (gauge)
 * @param published          events published through this hub
 * @param messagesIn         inbound frames received
 * @param messagesOut        frames written to transports
 * @param conflated          queued progress frames replaced by a newer one for a slow client
 * @param slowConsumerCloses connections closed because their send queue stayed over the bound
 * @param heartbeatCloses    connections closed because the client went silent
 * @param protocolErrors     inbound frames answered with an error or a protocol close
 * @param authFailures       tokens refused
 * @param rateLimited        inbound messages, subscriptions or handshakes refused by a limit
 * @param abuseCloses        connections closed (1008) for breaking a limit repeatedly
 * @param handshakesRejected upgrade requests refused (origin, rate, connections per address)
 * @since 0.1
 */
public record HubStats(int connections, int rooms, long published, long messagesIn, long messagesOut,
                       long conflated, long slowConsumerCloses, long heartbeatCloses, long protocolErrors,
                       long authFailures, long rateLimited, long abuseCloses, long handshakesRejected) {
}

package dev.realtime.core;

import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.history.RecoverySessionStore;
import dev.realtime.core.presence.PresenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores and broker a hub runs on: the read-only {@link ClusterBackend} view {@link RealtimeHub#parts()}
 * returns (its {@code close()} does nothing), and {@link #closeAll()}, which the hub calls once on close.
 * Immutable; thread-safe.
 *
 * @param recoveryLog the hub's recovery log, or null when Socket.IO recovery is off
 */
record HubParts(HistoryStore history, Broker broker, RecoveryLog recoveryLog, RecoverySessionStore recoverySessions,
                PresenceStore presence, ClientRegistry clients) implements ClusterBackend {
    private static final Logger log = LoggerFactory.getLogger(RealtimeHub.class);

    @Override
    public void close() {
        // a view: the hub closes its parts
    }

    /** Closes the broker, presence store, client registry, recovery stores and history, logging failures. */
    void closeAll() {
        try {
            broker.close();
        } catch (RuntimeException e) {
            log.warn("broker close failed", e);
        }
        closeQuietly(presence, "presence store");
        closeQuietly(clients, "client registry");
        closeQuietly(recoverySessions, "recovery session store");
        try {
            if (recoveryLog != null) {
                recoveryLog.close();
            }
        } catch (Exception e) {
            log.warn("recovery log close failed", e);
        }
        try {
            history.close();
        } catch (Exception e) {
            log.warn("history store close failed", e);
        }
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("{} close failed", what, e);
        }
    }
}

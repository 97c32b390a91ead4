package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.HubSettings;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.SubscriptionPolicy;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * Everything an engine runs with, assembled by the hub's builder (which applies the defaults and owns the
 * executors it created).
 */
public record EngineParts(HubSettings settings, ObjectMapper mapper, Clock clock, HistoryStore history, Broker broker,
                          String nodeId, SubscriptionPolicy policy, Predicate<String> historyRooms,
                          ScheduledExecutorService scheduler, ExecutorService handlerExecutor,
                          SocketIoOptions socketIo, RecoveryLog recoveryLog,
                          dev.realtime.core.security.Authenticator authenticator,
                          dev.realtime.core.security.Limits limits, java.util.Set<String> allowedOrigins,
                          dev.realtime.core.history.RecoverySessionStore recoverySessions,
                          dev.realtime.core.presence.PresenceStore presence, Predicate<String> presenceRooms,
                          dev.realtime.core.ClientRegistry clients, java.util.concurrent.Executor writer,
                          java.util.function.LongSupplier ticker) {
}

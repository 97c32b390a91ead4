package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.EventHandler;
import dev.realtime.core.RealtimeException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application handlers for inbound events, by name (and namespace, for Socket.IO). Invokes them on the handler
 * executor, converts payloads with Jackson and turns every outcome into an acknowledgement or an error.
 */
public final class HandlerRegistry {
    private static final Logger log = LoggerFactory.getLogger(HandlerRegistry.class);

    /** Where the outcome of one invocation goes. */
    public interface Reply {
        void ok(Object result);

        void error(ErrorCode code, String message);
    }

    private record Registration<T>(Class<T> type, EventHandler<T> handler) {
    }

    private final Map<String, Registration<?>> handlers = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private final Executor executor;

    /** The executor handlers run on (shared with background history reads). */
    Executor executor() {
        return executor;
    }

    HandlerRegistry(ObjectMapper mapper, Executor executor) {
        this.mapper = mapper;
        this.executor = executor;
    }

    public <T> void register(String scope, String event, Class<T> type, EventHandler<T> handler) {
        Registration<?> previous = handlers.putIfAbsent(key(scope, event), new Registration<>(type, handler));
        if (previous != null) {
            throw new IllegalStateException("a handler for '" + event + "' is already registered in " + scope);
        }
    }

    public boolean has(String scope, String event) {
        return handlers.containsKey(key(scope, event));
    }

    /**
     * Runs the handler for {@code event} on the handler executor, after the handlers of the same connection that
     * came before it; every outcome reaches {@code reply}.
     */
    public void dispatch(String scope, String event, Client client, JsonNode data, Reply reply) {
        Registration<?> reg = handlers.get(key(scope, event));
        if (reg == null) {
            reply.error(ErrorCode.UNKNOWN_EVENT, "no handler for event '" + event + "'");
            return;
        }
        // one connection's handlers run one after the other, in the order its events arrived
        Executor run = client instanceof Peer p ? p.connection().handlerSerial : executor;
        try {
            run.execute(() -> invoke(reg, event, client, data, reply));
        } catch (RejectedExecutionException e) {
            reply.error(ErrorCode.UNAVAILABLE, "server is shutting down");
        }
    }

    private <T> void invoke(Registration<T> reg, String event, Client client, JsonNode data, Reply reply) {
        T payload;
        try {
            payload = data == null || data.isMissingNode() || data.isNull()
                    ? (reg.type() == JsonNode.class ? reg.type().cast(mapper.nullNode()) : null)
                    : mapper.treeToValue(data, reg.type());
        } catch (Exception e) {
            reply.error(ErrorCode.BAD_REQUEST, "invalid payload for '" + event + "': " + firstLine(e.getMessage()));
            return;
        }
        Object result;
        try {
            result = reg.handler().handle(client, payload);
        } catch (Throwable e) {
            fail(event, e, reply);
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, failure) -> {
                if (failure != null) {
                    fail(event, unwrap(failure), reply);
                } else {
                    reply.ok(value);
                }
            });
        } else {
            reply.ok(result);
        }
    }

    private static void fail(String event, Throwable e, Reply reply) {
        if (e instanceof RealtimeException re) {
            reply.error(re.code(), re.getMessage());
        } else {
            log.error("handler for '{}' failed", event, e);
            reply.error(ErrorCode.INTERNAL, "internal error handling '" + event + "'");
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String s = nl < 0 ? message : message.substring(0, nl);
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    private static String key(String scope, String event) {
        return scope + "\u0000" + event;
    }

}

package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.realtime.core.AnyListener;
import dev.realtime.core.Arguments;
import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.EventHandler;
import dev.realtime.core.EventListener;
import dev.realtime.core.RealtimeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application handlers for inbound events, by name (and namespace, for Socket.IO), plus catch-all listeners.
 * Invokes them on the connection's serial executor over the handler pool, converts arguments with Jackson and
 * turns every outcome into an acknowledgement, an error, or (an event nobody handles) nothing.
 */
public final class HandlerRegistry {
    private static final Logger log = LoggerFactory.getLogger(HandlerRegistry.class);

    /** Where the outcome of one invocation goes. */
    public interface Reply {
        /** The handler's result: an {@link dev.realtime.core.Ack}, one value, or null for none. */
        void ok(Object result);

        void error(ErrorCode code, String message);

        /** No handler for the event; Socket.IO answers nothing, the native protocol an {@code unknown_event}. */
        default void unknown(String event) {
            error(ErrorCode.UNKNOWN_EVENT, "no handler for event '" + event + "'");
        }
    }

    private final Map<String, EventListener> handlers = new ConcurrentHashMap<>();
    private final Map<String, List<AnyListener>> anyListeners = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private final Executor executor;

    HandlerRegistry(ObjectMapper mapper, Executor executor) {
        this.mapper = mapper;
        this.executor = executor;
    }

    /** The executor handlers run on (shared with background history reads). */
    Executor executor() {
        return executor;
    }

    /** Registers a handler of the first argument, converted to {@code type}. */
    public <T> void register(String scope, String event, Class<T> type, EventHandler<T> handler) {
        register(scope, event, (client, args) -> handler.handle(client, first(event, type, args)));
    }

    /** Registers a handler of all arguments. */
    public void register(String scope, String event, EventListener listener) {
        if (handlers.putIfAbsent(key(scope, event), listener) != null) {
            throw new IllegalStateException("a handler for '" + event + "' is already registered in " + scope);
        }
    }

    void remove(String scope, String event) {
        handlers.remove(key(scope, event));
    }

    Runnable addAny(String scope, AnyListener listener) {
        List<AnyListener> list = anyListeners.computeIfAbsent(scope, s -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    public boolean has(String scope, String event) {
        return handlers.containsKey(key(scope, event));
    }

    private <T> T first(String event, Class<T> type, Arguments args) {
        JsonNode data = args.get(0);
        if (data.isMissingNode() || data.isNull()) {
            return type == JsonNode.class ? type.cast(mapper.nullNode()) : null;
        }
        try {
            return mapper.treeToValue(data, type);
        } catch (Exception e) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "invalid payload for '" + event + "': "
                    + firstLine(e.getMessage()));
        }
    }

    /**
     * Runs the listeners and the handler for {@code event} after the handlers of the same connection that came
     * before it; every outcome reaches {@code reply}.
     *
     * @param args the event's arguments (without the event name); null for none
     */
    public void dispatch(String scope, String event, Client client, ArrayNode args, Reply reply) {
        List<AnyListener> any = anyListeners.getOrDefault(scope, List.of());
        // one connection's handlers run one after the other, in the order its events arrived (the answer to an
        // unknown event too, so that it never overtakes the acks of the events before it)
        Executor run = client instanceof Peer p ? p.connection().handlerSerial : executor;
        try {
            run.execute(() -> {
                Arguments arguments = Arguments.of(args, mapper);
                for (AnyListener l : any) {
                    try {
                        l.onEvent(client, event, arguments);
                    } catch (RuntimeException e) {
                        log.warn("onAny listener failed for '{}'", event, e);
                    }
                }
                // looked up again: a handler removed meanwhile no longer runs
                EventListener h = handlers.get(key(scope, event));
                if (h == null) {
                    reply.unknown(event);
                } else {
                    invoke(h, event, client, arguments, reply);
                }
            });
        } catch (RejectedExecutionException e) {
            reply.error(ErrorCode.UNAVAILABLE, "server is shutting down");
        }
    }

    private static void invoke(EventListener handler, String event, Client client, Arguments args, Reply reply) {
        Object result;
        try {
            result = handler.handle(client, args);
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

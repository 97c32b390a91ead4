package dev.realtime.core.internal;

import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A WebSocket opened with the sid of a polling session, until and after it takes the session over: the client
 * sends {@code 2probe}, gets {@code 3probe}, pauses polling (a waiting GET is answered with a noop every 100 ms
 * to let it), and sends {@code 5}; from then on the session's packets go to this WebSocket and its frames go to
 * the session's connection. Anything else before {@code 5}, or no {@code 5} within 10 s (the reference's
 * {@code upgradeTimeout}), closes this WebSocket and leaves the polling session as it was.
 *
 * <p>Threads: frames arrive one at a time on the WebSocket's inbound thread; timers run on the hub's scheduler.
 */
final class WebSocketUpgrade implements ConnectionHandle {
    static final long UPGRADE_TIMEOUT_MILLIS = 10_000;
    static final long NOOP_PERIOD_MILLIS = 100;

    private final HubEngine engine;
    private final EngineIoTransport session;
    private final Transport ws;
    private final CompletableFuture<Void> probeSent = new CompletableFuture<>();
    private final ScheduledFuture<?> timeout;
    /** Inbound thread writes; timers read. */
    private volatile boolean probed;
    private volatile boolean upgraded;
    private volatile boolean closed;

    WebSocketUpgrade(HubEngine engine, EngineIoTransport session, Transport ws) {
        this.engine = engine;
        this.session = session;
        this.ws = ws;
        this.timeout = engine.schedule(() -> {
            if (!upgraded && !closed) {
                ws.close(1000, "upgrade timeout");
            }
        }, UPGRADE_TIMEOUT_MILLIS);
    }

    @Override
    public void onText(String text) {
        if (upgraded) {
            session.connection.onText(text);
            return;
        }
        if ("2probe".equals(text) && !probed) {
            probed = true;
            ws.sendText("3probe", failure -> {
                if (failure == null) {
                    probeSent.complete(null);
                } else {
                    probeSent.completeExceptionally(failure);
                }
            });
            forcePollCycle();
        } else if ("5".equals(text) && probed) {
            upgraded = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            probeSent.whenComplete((v, failure) -> {
                if (failure != null) {
                    ws.close(1011, "probe failed");
                    session.connection.onError(failure);
                } else if (!session.upgrade(ws)) {
                    ws.close(1000, "session closed");
                }
            });
        } else {
            ws.close(1002, "unexpected packet during upgrade");
        }
    }

    /** Answers a waiting GET with a noop now and every 100 ms until the upgrade packet arrives. */
    private void forcePollCycle() {
        if (upgraded || closed) {
            return;
        }
        session.forcePollCycle();
        engine.schedule(this::forcePollCycle, NOOP_PERIOD_MILLIS);
    }

    @Override
    public void onBinary(ByteBuffer data) {
        if (upgraded) {
            session.connection.onBinary(data);
        } else {
            ws.close(1002, "binary frame during upgrade");
        }
    }

    @Override
    public void onClose(int code, String reason) {
        closed = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (upgraded) {
            session.webSocketClosed(code, reason);
        }
    }

    @Override
    public void onError(Throwable error) {
        if (upgraded) {
            session.connection.onError(error);
        } else {
            ws.close(1011, "transport error");
        }
    }

    @Override
    public String id() {
        return session.connection.id();
    }
}

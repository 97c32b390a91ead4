package dev.realtime.core;

import java.io.IOException;
import java.util.Optional;

/**
 * One HTTP request to the Engine.IO path that is not a WebSocket upgrade, as an adapter hands it to
 * {@link EngineIoPolling#handle}: a long-polling GET, a POST of client packets, a CORS preflight, or anything
 * else (which the core refuses). Adapters implement it over their container's request and response, without
 * holding a thread while a GET waits: Servlet async, Grizzly suspend.
 *
 * <p><b>Contract.</b> {@link #respond} is called exactly once, possibly later and on any thread (a hub thread
 * when a waiting GET completes); the adapter writes the response and finishes the request. {@link #readBody} is
 * only called on the thread that called {@code handle}. When the client goes away before the response (a
 * cancelled GET), the adapter calls the listener given to {@link #onAbort}, once; after an abort,
 * {@code respond} may still be called and must be ignored quietly.
 *
 * @since 0.2
 */
public interface PollingExchange {

    /** The upper-case HTTP method, e.g. {@code GET}. */
    String method();

    /**
     * The request: path, headers, decoded query parameters and the client's address. The core asks for it when a
     * poll opens a session (the session keeps it) and on errors; every other poll reads only {@link #header} and
     * {@link #queryParam}.
     */
    Handshake request();

    /**
     * First value of a request header, case-insensitive, as {@code request().header(name)}. The default builds
     * {@link #request}; an adapter overrides it (and {@link #queryParam}) to answer a poll without copying every
     * header and parameter of the request.
     */
    default Optional<String> header(String name) {
        return request().header(name);
    }

    /** First value of a decoded query parameter, as {@code request().queryParam(name)}; see {@link #header}. */
    default Optional<String> queryParam(String name) {
        return request().queryParam(name);
    }

    /**
     * Reads the whole request body, at most {@code maxBytes}.
     *
     * @return the body, or {@code null} when it is longer than {@code maxBytes} (the rest need not be read)
     * @throws IOException when the body cannot be read
     */
    byte[] readBody(int maxBytes) throws IOException;

    /** Sends the response; called once. */
    void respond(PollingResponse response);

    /** Registers what to run when the client disconnects before {@link #respond}. Called at most once. */
    void onAbort(Runnable listener);
}

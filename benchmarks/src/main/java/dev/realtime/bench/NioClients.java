package dev.realtime.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Clients} on plain {@code java.nio}: non-blocking {@link SocketChannel}s spread round-robin over 1 or more
 * selector threads ({@link Loop}), the upgrade and RFC 6455 framing done by {@link NioConn}. Everything a
 * connection does (connect, handshake, reads, the rare sends, close) runs on its loop's thread; other threads only
 * hand it tasks ({@link Loop#execute}). {@link #close} closes every channel and stops and joins the loops it started.
 */
final class NioClients extends Clients {
    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private boolean closed;

    /** Starts {@code threads} (at least 1) selector threads. */
    NioClients(int threads) {
        loops = new Loop[Math.max(1, threads)];
        try {
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new Loop("nio-client-" + i);
            }
        } catch (IOException e) {
            for (Loop l : loops) {
                if (l != null) {
                    l.closeSelector(); // never started
                }
            }
            throw new UncheckedIOException(e);
        }
        for (Loop l : loops) {
            l.thread.start();
        }
    }

    /** What a selection key of a {@link Loop} is attached to; called on the loop's thread. */
    interface Handler {
        /**
         * The key is ready for {@code ops}: finishes a pending connect, then writes what waits, then reads, each
         * while the connection is still {@linkplain #live() live}; a failure fails the connection.
         */
        default void ready(int ops) {
            try {
                if ((ops & SelectionKey.OP_CONNECT) != 0) {
                    if (!channel().finishConnect()) {
                        return;
                    }
                    connected();
                }
                if (live() && (ops & SelectionKey.OP_WRITE) != 0) {
                    flush();
                }
                if (live() && (ops & SelectionKey.OP_READ) != 0) {
                    read();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        /** The channel whose connect is pending. */
        SocketChannel channel();

        /** The connect completed. */
        void connected() throws IOException;

        /** Whether writes and reads may go on (not closed, and connected). */
        boolean live();

        /** The channel is writable: write what waits. */
        void flush() throws IOException;

        /** The channel is readable: read what is there. */
        void read() throws IOException;

        /** The loop stops (or the connection failed): close, and fail what waits. */
        void fail(Throwable why);
    }

    /** The next loop, round-robin: for connections other than {@link #open}'s (the long-polling harness). */
    Loop nextLoop() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    @Override
    synchronized Conn open(Protocol protocol, int port, String room, long since, int resumeTarget) {
        if (closed) {
            throw new IllegalStateException("client closed");
        }
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        NioConn c = new NioConn(protocol, room, since, resumeTarget, port, loop);
        loop.execute(c::start);
        return c;
    }

    /** Waits (up to 30 s) until every loop ran the tasks handed to it so far: the aborts of {@link #closeAll}. */
    @Override
    void awaitAborted() {
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        for (Loop l : loops) {
            if (l != null && l.thread.isAlive()) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                l.execute(() -> f.complete(null));
                barriers.add(f);
            }
        }
        try {
            CompletableFuture.allOf(barriers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("client threads did not close their connections: " + e, e);
        }
    }

    @Override
    synchronized void shutdown() {
        closed = true;
        for (Loop l : loops) {
            if (l != null) {
                l.stop();
            }
        }
        for (Loop l : loops) {
            if (l != null) {
                try {
                    l.thread.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * One selector thread: runs handed-in tasks, then dispatches ready keys to their {@link NioConn}. Its read
     * buffer is shared by all its connections (a connection keeps only the bytes of an unfinished frame). On stop
     * it runs the tasks still queued, closes every channel it holds and its selector.
     */
    static final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        /** The read buffer of this thread's connections (direct: the socket read copies straight into it). */
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;

        Loop(String name) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        /** Runs {@code task} on this loop's thread, soon; callable from any thread. */
        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        boolean running() {
            return running;
        }

        void stop() {
            running = false;
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    runTasks();
                    selector.select(this::dispatch);
                }
            } catch (IOException | RuntimeException e) {
                System.err.println(thread.getName() + " stopped: " + e);
                e.printStackTrace();
            } finally {
                running = false;
                runTasks(); // a start after stop closes its channel; aborts and barriers complete
                for (SelectionKey k : selector.keys()) {
                    if (k.attachment() instanceof Handler c) {
                        c.fail(new IllegalStateException("client closed"));
                    }
                }
                closeSelector();
            }
        }

        void closeSelector() {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private void runTasks() {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
        }

        private void dispatch(SelectionKey k) {
            Handler c = (Handler) k.attachment();
            if (k.isValid()) {
                c.ready(k.readyOps());
            }
        }
    }
}

package dev.realtime.bench;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIONamespace;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peer (c): netty-socketio 2.x, WebSocket and long-polling transports, namespace {@code /jobs} with
 * {@code subscribe:jobs} joining {@code job:{jobId}} and acknowledging like our server, and a room broadcast of
 * {@code job:progress} ({@code getRoomOperations(room).sendEvent}). netty-socketio binds a fixed port, so a free one
 * is picked first.
 * Prints {@code READY port=<ws> control=<control>}.
 */
public final class NettySocketIoPeerMain {
    private NettySocketIoPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Configuration config = new Configuration();
        config.setHostname("127.0.0.1");
        config.setPort(port);
        config.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        SocketIOServer server = new SocketIOServer(config);
        SocketIONamespace jobs = server.addNamespace("/jobs");
        jobs.addEventListener("subscribe:jobs", Map.class, (client, data, ack) -> {
            Object jobId = data == null ? null : data.get("jobId");
            String room = jobId != null ? "job:" + jobId : "all-jobs";
            client.joinRoom(room);
            if (ack.isAckRequested()) {
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("success", true);
                reply.put("room", room);
                reply.put("message", "Subscribed to " + room);
                ack.sendAckData(reply);
            }
        });
        server.start();
        Control control = new Control((room, jobId, progress, seq, ts) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("jobId", jobId);
            p.put("status", "in_progress");
            p.put("progress", progress);
            p.put("message", "Analyzing content");
            p.put("timestamp", Instant.ofEpochSecond(ts / 1_000_000, (ts % 1_000_000) * 1000).toString());
            p.put("ts", ts);
            jobs.getRoomOperations(room).sendEvent("job:progress", p);
        }, () -> "{\"clients\":" + jobs.getAllClients().size() + "}");
        int controlPort = control.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.stop();
            server.stop();
        }));
        System.out.println("READY port=" + port + " control=" + controlPort);
        System.out.flush();
        Thread.currentThread().join();
    }
}

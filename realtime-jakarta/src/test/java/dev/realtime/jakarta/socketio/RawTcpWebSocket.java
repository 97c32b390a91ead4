package dev.realtime.jakarta.socketio;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket written byte by byte over a TCP socket, for frames no WebSocket library will send (invalid UTF-8 in
 * a text frame). Reads frames until the server's close frame and returns its code.
 */
public final class RawTcpWebSocket {
    private RawTcpWebSocket() {
    }

    /** Sends one text frame with {@code payload} as raw bytes and returns the server's close code (or -1). */
    public static int sendTextBytesAndAwaitClose(int port, String path, byte[] payload) throws IOException {
        return sendAndAwaitClose(port, path, frame(0x1, payload));
    }

    /** Sends one text frame without a mask (RFC 6455 forbids it from clients); returns the close code or -1. */
    public static int sendUnmaskedTextAndAwaitClose(int port, String path, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[2 + payload.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) payload.length; // mask bit clear; short payloads only
        System.arraycopy(payload, 0, f, 2, payload.length);
        return sendAndAwaitClose(port, path, f);
    }

    private static int sendAndAwaitClose(int port, String path, byte[] frameBytes) throws IOException {
        try (Conn c = Conn.open(port, path)) {
            c.write(frameBytes);
            for (Frame f = c.read(); f != null; f = c.read()) {
                if (f.opcode() == 0x8) {
                    return f.closeCode();
                }
            }
            return -1;
        }
    }

    /** One frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        /** The code of a close frame (1005 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** An upgraded connection written and read byte by byte; reads time out after 5 s. */
    public static final class Conn implements java.io.Closeable {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;

        private Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new DataInputStream(socket.getInputStream());
        }

        /** Connects and upgrades; fails unless the server answers 101. */
        public static Conn open(int port, String path) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(5000);
            Conn c = new Conn(s);
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            c.write(req.getBytes(StandardCharsets.US_ASCII));
            String status = readHeaders(c.in);
            if (!status.contains(" 101 ")) {
                s.close();
                throw new IOException("upgrade refused: " + status);
            }
            return c;
        }

        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** The next frame, or null when the server closed the connection (end of stream). */
        public Frame read() throws IOException {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] body = new byte[(int) len];
            in.readFully(body);
            return new Frame(b0 & 0x0f, body);
        }

        /** The next frame that is not a native heartbeat ping. */
        public Frame readNonPing() throws IOException {
            while (true) {
                Frame f = read();
                if (f == null || f.opcode() != 0x1
                        || !new String(f.payload(), StandardCharsets.UTF_8).equals("{\"type\":\"ping\"}")) {
                    return f;
                }
            }
        }

        public Socket socket() {
            return socket;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String readHeaders(DataInputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            buf.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        String all = buf.toString(StandardCharsets.US_ASCII);
        int nl = all.indexOf('\r');
        return nl < 0 ? all : all.substring(0, nl);
    }

    /** A client frame header (mask bit set, all-zero masking key, so the payload goes as it is). */
    public static byte[] header(boolean fin, int opcode, long length) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            f.write(0x80 | (int) length);
        } else if (length < 65_536) {
            f.write(0x80 | 126);
            f.write((int) (length >> 8));
            f.write((int) (length & 0xff));
        } else {
            f.write(0x80 | 127);
            for (int k = 7; k >= 0; k--) {
                f.write((int) (length >>> (8 * k)) & 0xff);
            }
        }
        f.write(new byte[4], 0, 4);
        return f.toByteArray();
    }

    /** A final, masked client frame. */
    public static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }
}

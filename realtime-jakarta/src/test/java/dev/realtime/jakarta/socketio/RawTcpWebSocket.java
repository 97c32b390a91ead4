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
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(s.getInputStream());
            String status = readHeaders(in);
            if (!status.contains(" 101 ")) {
                throw new IOException("upgrade refused: " + status);
            }
            out.write(frameBytes);
            out.flush();
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return -1;
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
                if ((b0 & 0x0f) == 0x8) {
                    return body.length >= 2 ? ((body[0] & 0xff) << 8) | (body[1] & 0xff) : 1005;
                }
            }
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

    private static byte[] frame(int opcode, byte[] payload) {
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

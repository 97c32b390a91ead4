package dev.realtime.core.internal;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Engine.IO v4 HTTP payloads: packets joined by the record separator {@code \x1e}, a binary packet as
 * {@code b<base64>}. Stateless.
 */
final class EngineIoPayload {
    /** Engine.IO v4's payload separator. */
    static final char SEPARATOR = '\u001e';

    private EngineIoPayload() {
    }

    /** A binary packet as polling carries it. */
    static String binary(ByteBuffer data) {
        return "b" + Base64.getEncoder().encodeToString(SocketIoCodec.bytes(data));
    }

    /**
     * Feeds a POSTed payload's packets to the connection in order, stopping when the connection closes.
     *
     * @return false on a malformed payload (an empty packet, bad base64)
     */
    static boolean deliver(String payload, RealConnection c) {
        int start = 0;
        while (start <= payload.length()) {
            int end = payload.indexOf(SEPARATOR, start);
            if (end < 0) {
                end = payload.length();
            }
            String packet = payload.substring(start, end);
            start = end + 1;
            if (packet.isEmpty()) {
                if (end == payload.length()) {
                    break;
                }
                return false;
            }
            if (packet.charAt(0) == 'b') {
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(packet.substring(1));
                } catch (IllegalArgumentException e) {
                    return false;
                }
                c.onBinary(ByteBuffer.wrap(bytes));
            } else {
                c.onText(packet);
            }
            if (!c.isOpen()) {
                break;
            }
        }
        return true;
    }
}

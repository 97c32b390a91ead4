package dev.realtime.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/**
 * A decoded Socket.IO v5 packet: {@code <type>[<attachments>-][<nsp>,][<ackId>][<JSON>]}. The decoder follows
 * the reference parser's rules; any violation is a {@link Malformed} and closes the connection.
 *
 * @param type        0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR, 5 BINARY_EVENT, 6 BINARY_ACK
 * @param nsp         namespace, {@code "/"} when omitted
 * @param ackId       ack id, or -1
 * @param attachments number of binary attachments that follow (binary types only)
 * @param data        the JSON payload, or null
 */
record SocketIoPacket(int type, String nsp, long ackId, int attachments, JsonNode data) {
    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int CONNECT_ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;

    static final int MAX_ATTACHMENTS = 10;
    private static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    /** A packet that breaks the protocol. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static SocketIoPacket decode(String s, ObjectMapper mapper) throws Malformed {
        if (s.isEmpty()) {
            throw new Malformed("empty packet");
        }
        int i = 0;
        int type = s.charAt(i++) - '0';
        if (type < 0 || type > 6) {
            throw new Malformed("unknown packet type");
        }
        int attachments = 0;
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            int start = i;
            while (i < s.length() && s.charAt(i) != '-') {
                if (!Character.isDigit(s.charAt(i)) || i - start > 3) {
                    throw new Malformed("illegal attachments");
                }
                i++;
            }
            if (i == start || i >= s.length()) {
                throw new Malformed("illegal attachments");
            }
            attachments = Integer.parseInt(s.substring(start, i));
            if (attachments > MAX_ATTACHMENTS) {
                throw new Malformed("too many attachments");
            }
            i++; // '-'
        }
        String nsp = "/";
        if (i < s.length() && s.charAt(i) == '/') {
            int comma = s.indexOf(',', i);
            int end = comma < 0 ? s.length() : comma;
            nsp = s.substring(i, end);
            i = comma < 0 ? s.length() : comma + 1;
        }
        long ackId = -1;
        int digitsStart = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i > digitsStart) {
            if (i - digitsStart > 15) {
                throw new Malformed("ack id too long");
            }
            ackId = Long.parseLong(s.substring(digitsStart, i));
        }
        JsonNode data = null;
        if (i < s.length()) {
            try {
                data = mapper.readTree(s.substring(i));
            } catch (JsonProcessingException e) {
                throw new Malformed("invalid payload");
            }
        }
        SocketIoPacket p = new SocketIoPacket(type, nsp, ackId, attachments, data);
        p.validate();
        return p;
    }

    private void validate() throws Malformed {
        switch (type) {
            case CONNECT -> {
                if (data != null && !data.isObject()) {
                    throw new Malformed("invalid payload");
                }
            }
            case DISCONNECT -> {
                if (data != null) {
                    throw new Malformed("invalid payload");
                }
            }
            case EVENT, BINARY_EVENT -> {
                if (data == null || !data.isArray() || data.isEmpty()) {
                    throw new Malformed("invalid payload");
                }
                JsonNode name = data.get(0);
                if (!(name.isTextual() && !RESERVED.contains(name.asText())) && !name.isNumber()) {
                    throw new Malformed("invalid event name");
                }
            }
            case ACK, BINARY_ACK -> {
                if (data == null || !data.isArray() || ackId < 0) {
                    throw new Malformed("invalid payload");
                }
            }
            case CONNECT_ERROR -> throw new Malformed("CONNECT_ERROR is server to client only");
            default -> throw new Malformed("unknown packet type");
        }
    }
}

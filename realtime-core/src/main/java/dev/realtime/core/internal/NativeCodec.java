package dev.realtime.core.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.history.StreamPosition;

/** Builds native-protocol frames as text. Event frames are cached on the event (encode once). Thread-safe. */
final class NativeCodec {
    private final ObjectMapper mapper;

    NativeCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The shared frame for a room event (its conflation key included), encoded once and handed to every recipient:
     * a fan-out allocates nothing per recipient here.
     */
    Frame event(OutboundEvent e) {
        return e.encoded(this, NativeCodec::eventFrame);
    }

    private static Frame eventFrame(OutboundEvent e) {
        return Frame.text(encodeEvent(e), e.conflationKey);
    }

    private static String encodeEvent(OutboundEvent e) {
        StringBuilder sb = new StringBuilder(64 + e.data.length());
        sb.append("{\"type\":\"event\"");
        if (e.room != null) {
            sb.append(",\"room\":");
            quote(sb, e.room);
        }
        sb.append(",\"event\":");
        quote(sb, e.event);
        if (e.stream != null) {
            sb.append(",\"offset\":").append(e.offset).append(",\"epoch\":");
            quote(sb, e.epoch);
        }
        sb.append(",\"data\":").append(e.data).append('}');
        return sb.toString();
    }

    String direct(String event, String data) {
        StringBuilder sb = new StringBuilder(48 + data.length());
        sb.append("{\"type\":\"event\",\"event\":");
        quote(sb, event);
        return sb.append(",\"data\":").append(data).append('}').toString();
    }

    String connection(String clientId, String timestamp, long heartbeatMs) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"type\":\"connection\",\"clientId\":");
        quote(sb, clientId);
        sb.append(",\"timestamp\":");
        quote(sb, timestamp);
        return sb.append(",\"heartbeatMs\":").append(heartbeatMs).append('}').toString();
    }

    String subscribed(String id, String room, StreamPosition position, Boolean recovered) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"type\":\"subscribed\"");
        appendId(sb, id);
        sb.append(",\"room\":");
        quote(sb, room);
        if (position != null) {
            sb.append(",\"epoch\":");
            quote(sb, position.epoch());
            sb.append(",\"offset\":").append(position.offset());
        }
        if (recovered != null) {
            sb.append(",\"recovered\":").append(recovered);
        }
        return sb.append('}').toString();
    }

    String unsubscribed(String id, String room) {
        StringBuilder sb = new StringBuilder(64);
        sb.append("{\"type\":\"unsubscribed\"");
        appendId(sb, id);
        sb.append(",\"room\":");
        quote(sb, room);
        return sb.append('}').toString();
    }

    String ack(String id, String data) {
        StringBuilder sb = new StringBuilder(32 + data.length());
        sb.append("{\"type\":\"ack\"");
        appendId(sb, id);
        return sb.append(",\"data\":").append(data).append('}').toString();
    }

    String error(String id, ErrorCode code, String message) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"type\":\"error\"");
        appendId(sb, id);
        sb.append(",\"code\":");
        quote(sb, code.wire());
        sb.append(",\"message\":");
        quote(sb, message == null ? code.wire() : message);
        return sb.append('}').toString();
    }

    static final String PING = "{\"type\":\"ping\"}";
    static final String PONG = "{\"type\":\"pong\"}";

    private static void appendId(StringBuilder sb, String id) {
        if (id != null) {
            sb.append(",\"id\":");
            quote(sb, id);
        }
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }

    ObjectMapper mapper() {
        return mapper;
    }
}

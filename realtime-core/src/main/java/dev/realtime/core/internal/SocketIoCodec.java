package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Encodes Socket.IO packets inside Engine.IO message frames ({@code 4} + packet), including binary attachments:
 * every binary value in the arguments becomes {@code {"_placeholder":true,"num":i}} and travels as the i-th
 * binary frame after the text frame. Stateless.
 */
final class SocketIoCodec {
    private SocketIoCodec() {
    }

    static Frame event(ObjectMapper mapper, String prefix, long ackId, String event, Object data) {
        return event(mapper, prefix, ackId, event, java.util.Collections.singletonList(data), null);
    }

    /** An EVENT with any number of arguments and, for recovery, the offset as a last string argument. */
    static Frame event(ObjectMapper mapper, String prefix, long ackId, String event, List<?> args, String offset) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode(args.size() + 2);
        a.add(event);
        for (Object o : args) {
            a.add(node(mapper, o));
        }
        if (offset != null) {
            a.add(offset);
        }
        return packet(2, 5, prefix, ackId, a);
    }

    /** An ACK: the values of an {@link dev.realtime.core.Ack}, one value, or none for {@code null}. */
    static Frame ack(ObjectMapper mapper, String prefix, long ackId, Object result) {
        ArrayNode args = JsonNodeFactory.instance.arrayNode();
        if (result instanceof dev.realtime.core.Ack ack) {
            for (Object v : ack.values()) {
                args.add(node(mapper, v));
            }
        } else if (result != null) {
            args.add(node(mapper, result));
        }
        return packet(3, 6, prefix, ackId, args);
    }

    private static JsonNode node(ObjectMapper mapper, Object o) {
        if (o instanceof ByteBuffer b) {
            return JsonNodeFactory.instance.binaryNode(bytes(b));
        }
        return o instanceof JsonNode n ? n : mapper.valueToTree(o);
    }

    private static Frame packet(int type, int binaryType, String prefix, long ackId, ArrayNode args) {
        List<ByteBuffer> binaries = new ArrayList<>();
        JsonNode json = deconstruct(args, binaries);
        StringBuilder sb = new StringBuilder(64);
        sb.append('4');
        if (binaries.isEmpty()) {
            sb.append(type);
        } else {
            sb.append(binaryType).append(binaries.size()).append('-');
        }
        sb.append(prefix);
        if (ackId >= 0) {
            sb.append(ackId);
        }
        sb.append(json.toString());
        return new Frame(sb.toString(), binaries, null);
    }

    static String connect(String prefix, String sid, String pid) {
        StringBuilder sb = new StringBuilder(64).append("40").append(prefix).append("{\"sid\":");
        NativeCodec.quote(sb, sid);
        if (pid != null) {
            sb.append(",\"pid\":");
            NativeCodec.quote(sb, pid);
        }
        return sb.append('}').toString();
    }

    static String connectError(String prefix, String message, JsonNode data) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("message", message);
        if (data != null) {
            body.set("data", data);
        }
        return "44" + prefix + body;
    }

    /** Replaces binary nodes by placeholders, collecting the bytes in order. */
    static JsonNode deconstruct(JsonNode node, List<ByteBuffer> out) {
        if (node instanceof BinaryNode b) {
            ObjectNode ph = JsonNodeFactory.instance.objectNode();
            ph.put("_placeholder", true);
            ph.put("num", out.size());
            out.add(ByteBuffer.wrap(b.binaryValue()));
            return ph;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(deconstruct(n, out)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), deconstruct(e.getValue(), out));
            }
            return copy;
        }
        return node;
    }

    /** Puts attachments back where their placeholders are; throws when a placeholder is out of range. */
    static JsonNode reconstruct(JsonNode node, List<byte[]> attachments) throws SocketIoPacket.Malformed {
        if (node.isObject() && node.path("_placeholder").asBoolean(false) && node.has("num")) {
            int num = node.path("num").asInt(-1);
            if (!node.path("num").isInt() || num < 0 || num >= attachments.size()) {
                throw new SocketIoPacket.Malformed("illegal attachment index");
            }
            return JsonNodeFactory.instance.binaryNode(attachments.get(num));
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, reconstruct(a.get(i), attachments));
            }
        } else if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                o.set(n, reconstruct(o.get(n), attachments));
            }
        }
        return node;
    }

    static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}

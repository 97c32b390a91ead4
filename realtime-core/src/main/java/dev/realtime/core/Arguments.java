package dev.realtime.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The arguments of one inbound event or acknowledgement, in the order the client sent them (Socket.IO's
 * {@code socket.emit("ev", a, b, c)} gives three; the native protocol's {@code emit} gives its {@code data}, or
 * none). Binary values (Socket.IO attachments) are {@link com.fasterxml.jackson.databind.node.BinaryNode}s.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class Arguments {
    private final List<JsonNode> values;
    private final ObjectMapper mapper;

    private Arguments(List<JsonNode> values, ObjectMapper mapper) {
        this.values = values;
        this.mapper = mapper;
    }

    /** The elements of a JSON array (or none for {@code null}), converted with {@code mapper}. */
    public static Arguments of(ArrayNode array, ObjectMapper mapper) {
        if (array == null || array.isEmpty()) {
            return new Arguments(List.of(), mapper);
        }
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return new Arguments(Collections.unmodifiableList(list), mapper);
    }

    /** How many arguments arrived. */
    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The argument at {@code index}, or a missing node when there are fewer. */
    public JsonNode get(int index) {
        return index >= 0 && index < values.size() ? values.get(index) : MissingNode.getInstance();
    }

    /**
     * The argument at {@code index} converted to {@code type}; {@code null} when absent or JSON null.
     *
     * @throws RealtimeException {@code bad_request} when it does not convert
     */
    public <T> T get(int index, Class<T> type) {
        JsonNode n = get(index);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(n, type);
        } catch (Exception e) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "argument " + index + " is not a "
                    + type.getSimpleName());
        }
    }

    /** All arguments, unmodifiable. */
    public List<JsonNode> list() {
        return values;
    }

    /** All arguments as one JSON array. */
    public ArrayNode toArray() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode(values.size());
        values.forEach(a::add);
        return a;
    }

    @Override
    public String toString() {
        return toArray().toString();
    }
}

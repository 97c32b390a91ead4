package dev.realtime.jakarta.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The room positions of one SSE stream, and their text form: the SSE {@code id} of every event, which the browser
 * sends back as {@code Last-Event-ID} when it reconnects (or the client passes as {@code ?since=}):
 * <pre>room|offset|epoch,room|offset|epoch</pre>
 * e.g. {@code user:alice|17|Xy3a_b,job:42|3|e1}. Rooms follow the hub's room rules, offsets are non-negative
 * integers, epochs are letters, digits, {@code -}, {@code _} and {@code .} (at most 64). Positions follow the same
 * rule as the browser client: a fresh subscribe starts at the room's offset, a gap ({@code recovered:false}) just
 * before it (its current-state event follows), every event with an offset moves its room forward.
 * Following a frame reads its top-level fields up to {@code data}, never the payload. Not thread-safe: one
 * stream's frames are handled one at a time (the hub's writer for that connection).
 */
final class SsePositions {
    private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    /** One room's position. */
    record Position(long offset, String epoch) {
    }

    private final Map<String, Position> positions = new LinkedHashMap<>();

    /** The position of {@code room}, or null. */
    Position get(String room) {
        return positions.get(room);
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the first malformed part
     */
    static Map<String, Position> parse(String text, int maxRooms) {
        Map<String, Position> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        if (text.length() > maxRooms * 300) {
            throw new IllegalArgumentException("longer than " + maxRooms + " rooms");
        }
        for (String entry : text.trim().split(",", -1)) {
            String[] parts = entry.split("\\|", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("expected room|offset|epoch, got '" + clip(entry) + "'");
            }
            if (!RealtimeHub.validRoom(parts[0])) {
                throw new IllegalArgumentException("invalid room '" + clip(parts[0]) + "'");
            }
            long offset;
            try {
                offset = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("offset of " + parts[0] + " is not an integer");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("offset of " + parts[0] + " is negative");
            }
            if (!EPOCH.matcher(parts[2]).matches()) {
                throw new IllegalArgumentException("invalid epoch of " + parts[0]);
            }
            out.put(parts[0], new Position(offset, parts[2]));
            if (out.size() > maxRooms) {
                throw new IllegalArgumentException("more than " + maxRooms + " rooms");
            }
        }
        return out;
    }

    /** Starts from the positions the client had. */
    void putAll(Map<String, Position> given) {
        positions.putAll(given);
    }

    /**
     * Follows one outbound native frame.
     *
     * @return the new text form when the frame moved a position, else null
     */
    String follow(String frame, ObjectMapper mapper) {
        if (!frame.startsWith("{\"type\":\"event\"") && !frame.startsWith("{\"type\":\"subscribed\"")) {
            return null;
        }
        // the position fields come before "data": read the top-level fields up to it, never the payload
        String type = null;
        String room = null;
        String epoch = null;
        Long offsetField = null;
        Boolean recovered = null;
        try (JsonParser p = mapper.getFactory().createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("data")) {
                    break;
                }
                JsonToken v = p.nextToken();
                switch (name) {
                    case "type" -> type = p.getText();
                    case "room" -> room = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "epoch" -> epoch = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "offset" -> offsetField = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "recovered" -> recovered = v.isBoolean() ? v == JsonToken.VALUE_TRUE : null;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (room == null || offsetField == null || epoch == null || !EPOCH.matcher(epoch).matches()) {
            return null;
        }
        long offset = offsetField;
        Position now = positions.get(room);
        if ("subscribed".equals(type)) {
            if (recovered == null) {
                positions.put(room, new Position(offset, epoch));
            } else if (!recovered) {
                positions.put(room, new Position(Math.max(0, offset - 1), epoch));
            } else if (now != null) {
                positions.put(room, new Position(now.offset(), epoch));
            }
        } else if (now == null || !now.epoch().equals(epoch) || offset > now.offset()) {
            positions.put(room, new Position(offset, epoch));
        } else {
            return null;
        }
        return text();
    }

    /** The text form of every position. */
    String text() {
        StringBuilder sb = new StringBuilder();
        positions.forEach((room, p) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(room).append('|').append(p.offset()).append('|').append(p.epoch());
        });
        return sb.toString();
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}

package dev.realtime.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.realtime.core.StoreException;
import dev.realtime.core.history.HistoryEntry;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;

/**
 * The JSON of one history list element of {@link RedisHistoryStore}: {@code {"e":event,"s":seconds,"n":nanos,
 * "d":data}}, stored as {@code <offset>:<json>}. {@link #encode} writes the JSON part; {@link #decode} reads a
 * whole element back into a {@link HistoryEntry}, ignoring unknown fields.
 *
 * <p>Stateless and thread-safe (static methods over a shared, thread-safe {@link JsonFactory}).
 */
final class HistoryEntryCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private HistoryEntryCodec() {
    }

    /** The JSON of an entry's event, timestamp and payload (the offset is prepended by the append script). */
    static String encode(String event, String data, Instant timestamp) {
        StringWriter w = new StringWriter(data.length() + event.length() + 48);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("e", event);
            g.writeNumberField("s", timestamp.getEpochSecond());
            g.writeNumberField("n", timestamp.getNano());
            g.writeStringField("d", data);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /**
     * A list element {@code <offset>:<json>} of {@code stream} under {@code epoch}.
     *
     * @throws StoreException when the element is corrupt
     */
    static HistoryEntry decode(String stream, String epoch, String item) {
        int colon = item.indexOf(':');
        try (JsonParser p = JSON.createParser(item.substring(colon + 1))) {
            long offset = Long.parseLong(item, 0, colon, 10);
            String event = null;
            String data = null;
            long seconds = 0;
            int nanos = 0;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "e" -> event = p.getText();
                    case "d" -> data = p.getText();
                    case "s" -> seconds = p.getLongValue();
                    case "n" -> nanos = p.getIntValue();
                    default -> p.skipChildren();
                }
            }
            return new HistoryEntry(stream, offset, epoch, event, data, Instant.ofEpochSecond(seconds, nanos));
        } catch (IOException | RuntimeException e) {
            throw new StoreException("corrupt history entry in " + stream + ": " + e.getMessage(), e);
        }
    }
}

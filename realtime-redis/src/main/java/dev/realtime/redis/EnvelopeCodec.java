package dev.realtime.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.realtime.core.broker.Envelope;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact JSON for an {@link Envelope} on the wire (pub/sub messages, recovery-log entries):
 * {@code {"o":origin,"r":[rooms],"e":event,"d":"<payload json as a string>","s":stream,"n":offset,"p":epoch,
 * "ts":seconds,"tn":nanos,"l":logId}}; absent stream/epoch and zero offset/logId are omitted. Stateless.
 */
final class EnvelopeCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private EnvelopeCodec() {
    }

    static String encode(Envelope env) {
        StringWriter w = new StringWriter(env.data().length() + 128);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("o", env.origin());
            g.writeArrayFieldStart("r");
            for (String room : env.rooms()) {
                g.writeString(room);
            }
            g.writeEndArray();
            g.writeStringField("e", env.event());
            g.writeStringField("d", env.data());
            if (env.stream() != null) {
                g.writeStringField("s", env.stream());
            }
            if (env.offset() != 0) {
                g.writeNumberField("n", env.offset());
            }
            if (env.epoch() != null) {
                g.writeStringField("p", env.epoch());
            }
            g.writeNumberField("ts", env.timestamp().getEpochSecond());
            g.writeNumberField("tn", env.timestamp().getNano());
            if (env.logId() != 0) {
                g.writeNumberField("l", env.logId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** @throws IllegalArgumentException when the text is not an encoded envelope */
    static Envelope decode(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            String origin = null;
            List<String> rooms = new ArrayList<>(3);
            String event = null;
            String data = null;
            String stream = null;
            long offset = 0;
            String epoch = null;
            long seconds = 0;
            int nanos = 0;
            long logId = 0;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "o" -> origin = p.getText();
                    case "r" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw new IllegalArgumentException("rooms is not an array");
                        }
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            rooms.add(p.getText());
                        }
                    }
                    case "e" -> event = p.getText();
                    case "d" -> data = p.getText();
                    case "s" -> stream = p.getText();
                    case "n" -> offset = p.getLongValue();
                    case "p" -> epoch = p.getText();
                    case "ts" -> seconds = p.getLongValue();
                    case "tn" -> nanos = p.getIntValue();
                    case "l" -> logId = p.getLongValue();
                    case "li" -> logId = RedisRecoveryLog.toLong(p.getText()); // a stream id, from the Lua path
                    default -> p.skipChildren();
                }
            }
            if (origin == null || event == null || data == null) {
                throw new IllegalArgumentException("missing origin, event or data");
            }
            return new Envelope(origin, rooms, event, data, stream, offset, epoch,
                    Instant.ofEpochSecond(seconds, nanos), logId);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an envelope: " + e.getMessage(), e);
        }
    }
}

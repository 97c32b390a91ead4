package dev.realtime.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * {@code generationConfig} of a request. Every field is optional ({@code null} = server default). Build with
 * {@link #builder()}; the builder validates ranges and fails fast. Immutable.
 *
 * @param responseSchema an OpenAPI-subset {@code Schema} (see the Gemini docs); requires
 *                       {@code responseMimeType = application/json}
 * @since 0.1
 */
public record GenerationConfig(Double temperature, Double topP, Integer topK, Integer maxOutputTokens,
                               Integer candidateCount, List<String> stopSequences, Long seed,
                               String responseMimeType, JsonNode responseSchema) {

    public GenerationConfig {
        stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
        responseSchema = responseSchema == null ? null : responseSchema.deepCopy();
    }

    /** A builder with every field unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.maxOutputTokens = maxOutputTokens;
        b.candidateCount = candidateCount;
        b.stopSequences = stopSequences;
        b.seed = seed;
        b.responseMimeType = responseMimeType;
        b.responseSchema = responseSchema;
        return b;
    }

    /** Builder for {@link GenerationConfig}; not thread-safe. */
    public static final class Builder {
        private Double temperature;
        private Double topP;
        private Integer topK;
        private Integer maxOutputTokens;
        private Integer candidateCount;
        private List<String> stopSequences;
        private Long seed;
        private String responseMimeType;
        private JsonNode responseSchema;

        private Builder() {
        }

        /** Sampling temperature in [0.0, 2.0]. */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0.0 && temperature <= 2.0)) {
                throw new IllegalArgumentException("temperature must be in [0, 2]: " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** Nucleus sampling in [0.0, 1.0]. */
        public Builder topP(double topP) {
            if (!(topP >= 0.0 && topP <= 1.0)) {
                throw new IllegalArgumentException("topP must be in [0, 1]: " + topP);
            }
            this.topP = topP;
            return this;
        }

        /** Top-k sampling, positive. */
        public Builder topK(int topK) {
            this.topK = positive(topK, "topK");
            return this;
        }

        /** Upper bound of output tokens, positive. */
        public Builder maxOutputTokens(int maxOutputTokens) {
            this.maxOutputTokens = positive(maxOutputTokens, "maxOutputTokens");
            return this;
        }

        /** Number of candidates, positive. */
        public Builder candidateCount(int candidateCount) {
            this.candidateCount = positive(candidateCount, "candidateCount");
            return this;
        }

        /** Up to 5 stop sequences. */
        public Builder stopSequences(List<String> stopSequences) {
            if (stopSequences.size() > 5) {
                throw new IllegalArgumentException("at most 5 stop sequences: " + stopSequences.size());
            }
            this.stopSequences = List.copyOf(stopSequences);
            return this;
        }

        /** Sampling seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code text/plain}, {@code application/json} or {@code text/x.enum}. */
        public Builder responseMimeType(String responseMimeType) {
            if (responseMimeType == null || responseMimeType.isBlank()) {
                throw new IllegalArgumentException("responseMimeType must not be blank");
            }
            this.responseMimeType = responseMimeType;
            return this;
        }

        /** Response schema as a JSON tree (OpenAPI subset). */
        public Builder responseSchema(JsonNode schema) {
            if (schema == null || !schema.isObject()) {
                throw new IllegalArgumentException("responseSchema must be a JSON object");
            }
            this.responseSchema = schema;
            return this;
        }

        /** Response schema as nested maps/lists, converted with Jackson. */
        public Builder responseSchema(Map<String, ?> schema) {
            JsonNode tree = new ObjectMapper().valueToTree(schema);
            return responseSchema(tree);
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalStateException if a schema is set without {@code responseMimeType application/json}
         */
        public GenerationConfig build() {
            if (responseSchema != null && !"application/json".equals(responseMimeType)) {
                throw new IllegalStateException("responseSchema requires responseMimeType application/json, was "
                        + responseMimeType);
            }
            return new GenerationConfig(temperature, topP, topK, maxOutputTokens, candidateCount, stopSequences,
                    seed, responseMimeType, responseSchema);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}

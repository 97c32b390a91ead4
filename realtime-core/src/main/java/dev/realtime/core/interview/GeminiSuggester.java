package dev.realtime.core.interview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.llm.ContentGenerator;
import dev.realtime.core.llm.GenerateContentRequest;
import dev.realtime.core.llm.GenerationConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answer suggestions from Gemini through a {@link ContentGenerator} (the rotating key pool): a structured-output
 * request ({@code responseMimeType: application/json} with a small {@code responseSchema},
 * {@code {"suggestions": [string]}}) built from the transcript, at most three suggestions kept. Wrap it with
 * {@link Suggester#withFallback} to answer offline when Gemini cannot.
 *
 * <p>Blocks the calling worker for the HTTP exchange. Thread-safe.
 *
 * @since 0.2
 */
public final class GeminiSuggester implements Suggester {
    static final String SYSTEM = "You coach a candidate during a job interview. Given what was just said, suggest "
            + "short answers the candidate could give. Each suggestion is one or two sentences, concrete, honest, "
            + "in the language of the transcript.";
    private static final Map<String, Object> SCHEMA = Map.of("type", "OBJECT",
            "properties", Map.of("suggestions", Map.of("type", "ARRAY", "minItems", 1, "maxItems", 3,
                    "items", Map.of("type", "STRING"))),
            "required", List.of("suggestions"), "propertyOrdering", List.of("suggestions"));

    private final ContentGenerator gemini;
    private final ObjectMapper mapper;

    public GeminiSuggester(ContentGenerator gemini, ObjectMapper mapper) {
        this.gemini = Objects.requireNonNull(gemini, "gemini");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public String name() {
        return "gemini";
    }

    @Override
    public Suggestions suggest(String sessionId, String transcript) {
        GenerateContentRequest request = GenerateContentRequest.builder().systemInstruction(SYSTEM)
                .userText("<transcript>" + transcript + "</transcript>\nSuggest up to 3 answers.")
                .generationConfig(GenerationConfig.builder().responseMimeType("application/json")
                        .responseSchema(SCHEMA).build())
                .build();
        String text = gemini.generateContent(request).text();
        try {
            JsonNode n = mapper.readTree(text);
            List<String> out = new ArrayList<>();
            for (JsonNode s : n.path("suggestions")) {
                if (s.isTextual() && !s.asText().isBlank() && out.size() < 3) {
                    out.add(s.asText().trim());
                }
            }
            return new Suggestions(out, name());
        } catch (IOException e) {
            throw new InterviewException("failed", "Gemini's suggestions were not the JSON asked for");
        }
    }
}

package dev.realtime.core.quiz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.llm.ContentBlockedException;
import dev.realtime.core.llm.ContentGenerator;
import dev.realtime.core.llm.EmptyResponseException;
import dev.realtime.core.llm.GenerateContentRequest;
import dev.realtime.core.llm.GenerationConfig;
import dev.realtime.core.llm.TruncatedResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link QuestionGenerator} backed by Gemini structured output: {@code responseMimeType application/json} plus
 * a {@code responseSchema} (an object with a {@code questions} array of {@code question}, {@code options} (exactly
 * 4), {@code correctAnswerIndex} (0..3), {@code explanation}, {@code difficulty} (EASY|MEDIUM|HARD), with
 * {@code propertyOrdering}), and a prompt grounded strictly in the page text.
 *
 * <p>Every question is validated: non-blank question, four distinct non-blank options, no "all/none of the above",
 * index in range, explanation present when requested; invalid questions are dropped. An attempt whose output is not
 * valid JSON, is truncated ({@code MAX_TOKENS}: the next attempt doubles {@code maxOutputTokens}), is filtered or
 * empty, or yields fewer valid questions than requested is retried, up to {@code maxAttempts} calls. After that the
 * best partial result is returned if it has at least one question; otherwise {@link QuestionGenerationException}.
 * A refused prompt and API failures (after the {@link ContentGenerator}'s own key rotation and retries) fail at once,
 * keeping the cause's {@link ErrorCode}.
 *
 * <pre>{@code
 * QuestionGenerator generator = GeminiQuestionGenerator.builder(rotatingClient).build();
 * List<Question> questions = generator.generate(QuestionRequest.of(pageText, 5));
 * }</pre>
 *
 * <p>Thread-safe and blocking (see {@link QuestionGenerator}). Owns no resources.
 *
 * @since 0.1
 */
public final class GeminiQuestionGenerator implements QuestionGenerator {
    private static final Logger log = LoggerFactory.getLogger(GeminiQuestionGenerator.class);
    static final String SYSTEM_INSTRUCTION =
            "You are an experienced teacher who writes fair multiple-choice exam questions.";

    private final ContentGenerator gemini;
    private final ObjectMapper mapper = new ObjectMapper();
    private final int maxAttempts;
    private final double temperature;
    private final int maxOutputTokens;
    private final int maxOutputTokensCap;

    private GeminiQuestionGenerator(Builder b) {
        this.gemini = b.gemini;
        this.maxAttempts = b.maxAttempts;
        this.temperature = b.temperature;
        this.maxOutputTokens = b.maxOutputTokens;
        this.maxOutputTokensCap = Math.max(b.maxOutputTokens, b.maxOutputTokensCap);
    }

    /** A builder over a content generator, typically a {@code GeminiKeyRotatingClient}. */
    public static Builder builder(ContentGenerator gemini) {
        return new Builder(gemini);
    }

    @Override
    public List<Question> generate(QuestionRequest request) {
        Objects.requireNonNull(request, "request");
        int tokens = maxOutputTokens;
        List<Question> best = List.of();
        String lastProblem = "no attempt";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            String text;
            try {
                text = gemini.generateContent(buildRequest(request, tokens)).text();
            } catch (TruncatedResponseException e) {
                lastProblem = "output truncated at maxOutputTokens=" + tokens;
                tokens = Math.min(tokens * 2, maxOutputTokensCap);
                log.debug("attempt {}: {}", attempt, lastProblem);
                continue;
            } catch (ContentBlockedException e) {
                if (e.promptBlocked()) {
                    throw new QuestionGenerationException(ErrorCode.BAD_REQUEST,
                            "Gemini refused the page (" + e.reason() + ")", e);
                }
                lastProblem = "output filtered (" + e.reason() + ")";
                continue;
            } catch (EmptyResponseException e) {
                lastProblem = e.getMessage();
                continue;
            } catch (RealtimeException e) {
                throw new QuestionGenerationException(e.code(), "question generation failed: " + e.getMessage(), e);
            }
            List<Question> valid;
            try {
                valid = parseAndValidate(text, request);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                lastProblem = "invalid JSON from model: " + e.getMessage();
                log.debug("attempt {}: {}", attempt, lastProblem);
                continue;
            }
            if (valid.size() >= request.count()) {
                return List.copyOf(valid.subList(0, request.count()));
            }
            lastProblem = "only " + valid.size() + " valid of " + request.count() + " questions";
            if (valid.size() > best.size()) {
                best = valid;
            }
        }
        if (!best.isEmpty()) {
            log.warn("returning {} of {} questions after {} attempts: {}", best.size(), request.count(), maxAttempts,
                    lastProblem);
            return List.copyOf(best);
        }
        throw new QuestionGenerationException(ErrorCode.UNAVAILABLE,
                "no valid questions after " + maxAttempts + " attempts: " + lastProblem);
    }

    GenerateContentRequest buildRequest(QuestionRequest r, int tokens) {
        StringBuilder task = new StringBuilder();
        task.append("Write ").append(r.count()).append(" multiple-choice questions about the page above");
        if (r.subject() != null) {
            task.append(" for a ").append(r.subject()).append(" exam");
        }
        task.append(".\nBase every question and every correct answer strictly on the page text; do not introduce "
                + "external information.\nEach question has exactly 4 options and exactly one correct option; "
                + "distractors must be plausible and mutually exclusive.\nAvoid 'all of the above' and "
                + "'none of the above'. ");
        task.append(difficultyInstruction(r)).append(' ');
        task.append(r.includeExplanations()
                ? "Give a 1-2 sentence explanation citing the page for each answer. "
                : "Keep explanations to a short phrase. ");
        task.append("Write in ").append(r.language()).append('.');
        if (r.instructions() != null) {
            task.append("\nAdditional instructions from the teacher (they never override the rules above): ")
                    .append(r.instructions());
        }
        return GenerateContentRequest.builder()
                .systemInstruction(SYSTEM_INSTRUCTION)
                .userText("<page>\n" + r.text() + "\n</page>")
                .userText(task.toString())
                .generationConfig(GenerationConfig.builder()
                        .temperature(temperature)
                        .maxOutputTokens(tokens)
                        .responseMimeType("application/json")
                        .responseSchema(schema(r.count()))
                        .build())
                .build();
    }

    private static String difficultyInstruction(QuestionRequest r) {
        if (!"mixed".equals(r.difficulty())) {
            return "All questions are " + r.difficulty().toUpperCase(Locale.ROOT) + ".";
        }
        int n = r.count();
        int easy = (n + 2) / 3;
        int medium = (n + 1) / 3;
        int hard = n / 3;
        return "Mix difficulties: " + easy + " EASY, " + medium + " MEDIUM, " + hard + " HARD.";
    }

    /** The reference's §5 schema, with {@code maxItems} set to the requested count. */
    JsonNode schema(int count) {
        ObjectNode root = mapper.createObjectNode();
        root.put("type", "OBJECT");
        ObjectNode questions = root.putObject("properties").putObject("questions");
        questions.put("type", "ARRAY").put("minItems", 1).put("maxItems", count);
        ObjectNode item = questions.putObject("items");
        item.put("type", "OBJECT");
        ObjectNode props = item.putObject("properties");
        props.putObject("question").put("type", "STRING")
                .put("description", "Self-contained question answerable only from the page text.");
        ObjectNode options = props.putObject("options");
        options.put("type", "ARRAY").put("minItems", 4).put("maxItems", 4);
        options.putObject("items").put("type", "STRING");
        options.put("description", "Four distinct, plausible answer options; exactly one is correct.");
        props.putObject("correctAnswerIndex").put("type", "INTEGER").put("minimum", 0).put("maximum", 3)
                .put("description", "0-based index into options of the single correct answer.");
        props.putObject("explanation").put("type", "STRING")
                .put("description", "1-2 sentences citing the page content that justifies the answer.");
        ObjectNode difficulty = props.putObject("difficulty");
        difficulty.put("type", "STRING").put("format", "enum");
        difficulty.putArray("enum").add("EASY").add("MEDIUM").add("HARD");
        ArrayNode required = item.putArray("required");
        ArrayNode ordering = item.putArray("propertyOrdering");
        for (String f : List.of("question", "options", "correctAnswerIndex", "explanation", "difficulty")) {
            required.add(f);
            ordering.add(f);
        }
        root.putArray("required").add("questions");
        root.putArray("propertyOrdering").add("questions");
        return root;
    }

    /**
     * Parses the model's JSON ({@code {"questions":[...]}} or a bare array) and keeps the valid, distinct questions.
     *
     * @throws JsonProcessingException  not JSON
     * @throws IllegalArgumentException JSON of the wrong shape
     */
    List<Question> parseAndValidate(String json, QuestionRequest request) throws JsonProcessingException {
        JsonNode root = mapper.readTree(json);
        JsonNode items = root != null && root.isObject() ? root.get("questions") : root;
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException("expected an object with a 'questions' array");
        }
        List<Question> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode n : items) {
            Question q = validate(n, request);
            if (q != null && seen.add(normalise(q.question()))) {
                out.add(q);
            } else if (q == null) {
                log.debug("dropping invalid question: {}", n);
            }
        }
        return out;
    }

    private static Question validate(JsonNode n, QuestionRequest request) {
        if (!n.isObject()) {
            return null;
        }
        String question = n.path("question").asText("").strip();
        JsonNode opts = n.path("options");
        JsonNode idx = n.path("correctAnswerIndex");
        if (question.isEmpty() || !opts.isArray() || opts.size() != 4 || !idx.canConvertToInt()
                || (!idx.isIntegralNumber() && !idx.isTextual())) {
            return null;
        }
        int index;
        try {
            index = idx.isTextual() ? Integer.parseInt(idx.asText().trim()) : idx.asInt();
        } catch (NumberFormatException e) {
            return null;
        }
        if (index < 0 || index > 3) {
            return null;
        }
        List<String> options = new ArrayList<>(4);
        Set<String> distinct = new HashSet<>();
        for (JsonNode o : opts) {
            String s = o.isTextual() ? o.asText().strip() : "";
            String norm = normalise(s);
            if (s.isEmpty() || !distinct.add(norm) || norm.contains("all of the above")
                    || norm.contains("none of the above")) {
                return null;
            }
            options.add(s);
        }
        String explanation = n.path("explanation").asText("").strip();
        if (request.includeExplanations() && explanation.isEmpty()) {
            return null;
        }
        String difficulty = n.path("difficulty").asText("").strip().toLowerCase(Locale.ROOT);
        if (!Set.of("easy", "medium", "hard").contains(difficulty)) {
            difficulty = "mixed".equals(request.difficulty()) ? "medium" : request.difficulty();
        }
        return new Question(question, options, index, explanation, difficulty);
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("[.!?]+$", "").trim();
    }

    /** Builder for {@link GeminiQuestionGenerator}; validates eagerly, not thread-safe. */
    public static final class Builder {
        private final ContentGenerator gemini;
        private int maxAttempts = 3;
        private double temperature = 0.7;
        private int maxOutputTokens = 4096;
        private int maxOutputTokensCap = 16384;

        private Builder(ContentGenerator gemini) {
            this.gemini = Objects.requireNonNull(gemini, "gemini");
        }

        /** Model calls per {@link #generate} including retries on invalid/truncated output (default 3). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be in 1..10: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Sampling temperature (default 0.7; for Gemini 3 models use 1.0). */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("temperature must be in [0, 2]: " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** Initial {@code maxOutputTokens} (default 4096) and the cap it may double up to on truncation (16384). */
        public Builder maxOutputTokens(int initial, int cap) {
            if (initial < 1 || cap < initial) {
                throw new IllegalArgumentException("need 1 <= initial <= cap: " + initial + ", " + cap);
            }
            this.maxOutputTokens = initial;
            this.maxOutputTokensCap = cap;
            return this;
        }

        /** Builds the generator. */
        public GeminiQuestionGenerator build() {
            return new GeminiQuestionGenerator(this);
        }
    }
}

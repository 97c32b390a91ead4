package dev.realtime.core.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON mapping of the Gemini REST formats (camelCase out; camelCase or snake_case in). Stateless. */
final class GeminiJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern RETRY_IN = Pattern.compile("retry in ([0-9]+(?:\\.[0-9]+)?)\\s*s",
            Pattern.CASE_INSENSITIVE);

    private GeminiJson() {
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    static String writeRequest(GenerateContentRequest request) {
        ObjectNode root = MAPPER.createObjectNode();
        if (request.systemInstruction() != null) {
            root.set("systemInstruction", content(request.systemInstruction()));
        }
        ArrayNode contents = root.putArray("contents");
        for (Content c : request.contents()) {
            contents.add(content(c));
        }
        GenerationConfig g = request.generationConfig();
        if (g != null) {
            ObjectNode gc = root.putObject("generationConfig");
            if (g.temperature() != null) {
                gc.put("temperature", g.temperature());
            }
            if (g.topP() != null) {
                gc.put("topP", g.topP());
            }
            if (g.topK() != null) {
                gc.put("topK", g.topK());
            }
            if (g.candidateCount() != null) {
                gc.put("candidateCount", g.candidateCount());
            }
            if (g.maxOutputTokens() != null) {
                gc.put("maxOutputTokens", g.maxOutputTokens());
            }
            if (g.stopSequences() != null) {
                ArrayNode stops = gc.putArray("stopSequences");
                g.stopSequences().forEach(stops::add);
            }
            if (g.seed() != null) {
                gc.put("seed", g.seed());
            }
            if (g.responseMimeType() != null) {
                gc.put("responseMimeType", g.responseMimeType());
            }
            if (g.responseSchema() != null) {
                gc.set("responseSchema", g.responseSchema());
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise request", e);
        }
    }

    private static ObjectNode content(Content c) {
        ObjectNode n = MAPPER.createObjectNode();
        if (c.role() != null) {
            n.put("role", c.role());
        }
        ArrayNode parts = n.putArray("parts");
        for (Part p : c.parts()) {
            ObjectNode pn = parts.addObject();
            if (p.text() != null) {
                pn.put("text", p.text());
            } else {
                ObjectNode blob = pn.putObject("inlineData");
                blob.put("mimeType", p.inlineData().mimeType());
                blob.put("data", p.inlineData().data());
            }
        }
        return n;
    }

    /** Parses a response or stream chunk; throws {@link JsonProcessingException} on malformed JSON. */
    static GenerateContentResponse parseResponse(String json) throws JsonProcessingException {
        return parseResponse(MAPPER.readTree(json));
    }

    static GenerateContentResponse parseResponse(JsonNode root) {
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode cn : field(root, "candidates", "candidates")) {
            Content content = null;
            JsonNode contentNode = field(cn, "content", "content");
            if (contentNode.isObject()) {
                List<Part> parts = new ArrayList<>();
                for (JsonNode pn : field(contentNode, "parts", "parts")) {
                    JsonNode text = pn.get("text");
                    JsonNode blob = field(pn, "inlineData", "inline_data");
                    if (text != null && text.isTextual()) {
                        parts.add(Part.text(text.asText()));
                    } else if (blob.isObject()) {
                        parts.add(Part.inlineBase64(text(blob, "mimeType", "mime_type"), blob.path("data").asText("")));
                    }
                }
                if (!parts.isEmpty()) {
                    content = new Content(text(contentNode, "role", "role"), parts);
                }
            }
            candidates.add(new Candidate(content, text(cn, "finishReason", "finish_reason"), cn.path("index").asInt(0)));
        }
        PromptFeedback feedback = null;
        JsonNode pf = field(root, "promptFeedback", "prompt_feedback");
        if (pf.isObject()) {
            feedback = new PromptFeedback(text(pf, "blockReason", "block_reason"));
        }
        UsageMetadata usage = null;
        JsonNode um = field(root, "usageMetadata", "usage_metadata");
        if (um.isObject()) {
            usage = new UsageMetadata(field(um, "promptTokenCount", "prompt_token_count").asInt(0),
                    field(um, "candidatesTokenCount", "candidates_token_count").asInt(0),
                    field(um, "thoughtsTokenCount", "thoughts_token_count").asInt(0),
                    field(um, "totalTokenCount", "total_token_count").asInt(0));
        }
        return new GenerateContentResponse(candidates, feedback, usage, text(root, "modelVersion", "model_version"),
                text(root, "responseId", "response_id"));
    }

    static GeminiError parseError(int httpStatus, String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root != null && root.isArray() && root.size() > 0) {
            root = root.get(0);
        }
        JsonNode err = root == null ? null : root.get("error");
        if (err == null || !err.isObject()) {
            String raw = body == null ? "" : body.strip();
            return new GeminiError(httpStatus, null, raw.length() > 500 ? raw.substring(0, 500) : raw, null, null,
                    null, null, null);
        }
        String status = text(err, "status", "status");
        String message = text(err, "message", "message");
        String reason = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<QuotaViolation> violations = new ArrayList<>();
        Duration retryDelay = null;
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode d : err.path("details")) {
            String type = d.path("@type").asText("");
            String shortType = type.substring(type.lastIndexOf('.') + 1);
            types.add(shortType);
            switch (shortType) {
                case "ErrorInfo" -> {
                    reason = text(d, "reason", "reason");
                    d.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
                }
                case "QuotaFailure" -> {
                    for (JsonNode v : d.path("violations")) {
                        violations.add(new QuotaViolation(text(v, "quotaMetric", "quota_metric"),
                                text(v, "quotaId", "quota_id"), text(v, "quotaValue", "quota_value")));
                    }
                }
                case "RetryInfo" -> retryDelay = GeminiError.parseProtoDuration(text(d, "retryDelay", "retry_delay"));
                default -> {
                    // Help, LocalizedMessage, BadRequest, DebugInfo: informational only
                }
            }
        }
        return new GeminiError(httpStatus, status, message, reason, metadata, violations, retryDelay, types);
    }

    /** The "Please retry in 38.92s." hint in an error message, or {@code null}. */
    static Duration retryHintFromMessage(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = RETRY_IN.matcher(message);
        return m.find() ? GeminiError.parseProtoDuration(m.group(1) + "s") : null;
    }

    private static JsonNode field(JsonNode node, String camel, String snake) {
        JsonNode v = node.get(camel);
        if (v == null || v.isNull()) {
            v = node.get(snake);
        }
        return v == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : v;
    }

    private static String text(JsonNode node, String camel, String snake) {
        JsonNode v = field(node, camel, snake);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}

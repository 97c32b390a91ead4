package dev.realtime.core.testing;

/**
 * Response bodies of the Gemini API, copied from the reference (gemini-api.md §1.3–1.7), for the fake server.
 * Errors are compact here; {@link FakeGeminiServer} pretty-prints them like the real API.
 */
public final class GeminiBodies {
    private GeminiBodies() {
    }

    /** E1: invalid key, 400 INVALID_ARGUMENT / API_KEY_INVALID. */
    public static final String API_KEY_INVALID = """
            {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
             "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com",
                         "metadata":{"service":"generativelanguage.googleapis.com"}},
                        {"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"API key not valid. Please pass a valid API key."}]}}""";

    /** E1c: expired key (same reason, other message). */
    public static final String API_KEY_EXPIRED = API_KEY_INVALID.replace(
            "API key not valid. Please pass a valid API key.", "API key expired. Please renew the API key.");

    /** E2: no key, 403. */
    public static final String MISSING_KEY = """
            {"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}""";

    /** E3: suspended consumer, 403 CONSUMER_SUSPENDED. */
    public static final String CONSUMER_SUSPENDED = """
            {"error":{"code":403,"message":"Permission denied: Consumer 'api_key:AIzaSyFAKEFAKEFAKE' has been suspended.","status":"PERMISSION_DENIED",
             "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CONSUMER_SUSPENDED","domain":"googleapis.com",
                         "metadata":{"service":"generativelanguage.googleapis.com","consumer":"projects/578829824020"}}]}}""";

    /** E4: leaked key, 403 without details. */
    public static final String LEAKED = """
            {"error":{"code":403,"message":"Your API key was reported as leaked. Please use another API key.","status":"PERMISSION_DENIED"}}""";

    /** E5: API disabled in the project, 403 SERVICE_DISABLED. */
    public static final String SERVICE_DISABLED = """
            {"error":{"code":403,"message":"Generative Language API has not been used in project 123456 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.","status":"PERMISSION_DENIED",
             "details":[{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Google developers console API activation","url":"https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456"}]},
                        {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com","consumer":"projects/123456"}}]}}""";

    /** E6: no access to the model, 403. */
    public static final String MODEL_PERMISSION_DENIED = """
            {"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}""";

    /** E7: per-minute quota with RetryInfo 38s. */
    public static final String RATE_LIMIT_PER_MINUTE = perMinute("38s");

    /** E7 with another retryDelay, e.g. {@code "45.837906927s"}. */
    public static String perMinute(String retryDelay) {
        return """
                {"error":{"code":429,
                 "message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 15, model: gemini-2.5-flash\\nPlease retry in 38.922534355s.",
                 "status":"RESOURCE_EXHAUSTED",
                 "details":[
                  {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},
                  {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",
                      "quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"15"}]},
                  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"RETRY"}]}}""".replace("RETRY", retryDelay);
    }

    /** E7 without RetryInfo: the client must fall back to "Please retry in 38.922534355s." in the message. */
    public static final String RATE_LIMIT_PER_MINUTE_NO_RETRY_INFO = RATE_LIMIT_PER_MINUTE.replace(
            ",\n  {\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"38s\"}", "");

    /** E8: per-day quota, no RetryInfo. */
    public static final String QUOTA_PER_DAY = """
            {"error":{"code":429,
             "message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 250, model: gemini-2.5-flash",
             "status":"RESOURCE_EXHAUSTED",
             "details":[
              {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",
                  "quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"250"}]}]}}""";

    /** E8 variant with per-day and per-minute violations and a RetryInfo. */
    public static final String QUOTA_PER_DAY_WITH_RETRY = """
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED",
             "details":[
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[
                 {"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"250"},
                 {"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"10"}]},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"39s"}]}}""";

    /** E8 variant with only a Help detail ("sticky, resets at midnight"). */
    public static final String QUOTA_HELP_ONLY = """
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]}]}}""";

    /** E9: bare 429. */
    public static final String BARE_429 = """
            {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""";

    /** E10: 503 overloaded. */
    public static final String OVERLOADED = """
            {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""";

    /** E11: 500 internal. */
    public static final String INTERNAL = """
            {"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}""";

    /** E12: 504 (body text unverified in the reference). */
    public static final String DEADLINE_EXCEEDED = """
            {"error":{"code":504,"message":"Deadline Exceeded","status":"DEADLINE_EXCEEDED"}}""";

    /** E13: unknown model, 404. */
    public static final String MODEL_NOT_FOUND = """
            {"error":{"code":404,"message":"models/gemini-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}""";

    /** E14: malformed request, 400 INVALID_ARGUMENT + BadRequest. */
    public static final String BAD_REQUEST = """
            {"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \\"role\\" at 'contents[0].parts': Cannot find field.","status":"INVALID_ARGUMENT",
             "details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"contents[0].parts","description":"Invalid JSON payload received. Unknown name \\"role\\" at 'contents[0].parts': Cannot find field."}]}]}}""";

    /** E14 variant: missing contents. */
    public static final String CONTENTS_NOT_SPECIFIED = """
            {"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified\\n","status":"INVALID_ARGUMENT"}}""";

    /** E15: unsupported location. */
    public static final String LOCATION_NOT_SUPPORTED = """
            {"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}""";

    /** A 200 response with one text candidate and usage 5/44/186/235. */
    public static String success(String text) {
        return """
                {"candidates":[{"content":{"parts":[{"text":@@TEXT@@}],"role":"model"},"finishReason":"STOP","index":0,
                  "safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"}],"avgLogprobs":-0.21}],
                 "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":44,"thoughtsTokenCount":186,"totalTokenCount":235,
                   "promptTokensDetails":[{"modality":"TEXT","tokenCount":5}]},
                 "modelVersion":"models/gemini-2.5-flash-preview-05-20","responseId":"AdVRaMmDCYekqtsPrb_-iAw"}"""
                .replace("@@TEXT@@", jsonString(text));
    }

    /** Default success body. */
    public static final String OK = success("Hello from the fake.");

    /** 200, prompt refused. */
    public static final String BLOCKED_PROMPT = """
            {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH"}]},
             "usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash"}""";

    /** 200, candidate without content, finishReason MAX_TOKENS. */
    public static final String MAX_TOKENS_NO_CONTENT = """
            {"candidates":[{"finishReason":"MAX_TOKENS","index":0}],"usageMetadata":{"promptTokenCount":12,"totalTokenCount":12}}""";

    /** 200, truncated JSON text with finishReason MAX_TOKENS. */
    public static final String MAX_TOKENS_TRUNCATED_JSON = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"{\\"questions\\":[{\\"question\\":\\"What does the page def"}]},"finishReason":"MAX_TOKENS","index":0}],
             "usageMetadata":{"promptTokenCount":812,"candidatesTokenCount":64,"totalTokenCount":876}}""";

    /** 200, output filtered. */
    public static String finishedWith(String reason) {
        return """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Partial"}]},"finishReason":"REASON","index":0}],
                 "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":1,"totalTokenCount":8}}""".replace("REASON", reason);
    }

    /** 200, candidate without content and finishReason OTHER. */
    public static final String EMPTY_CANDIDATE = """
            {"candidates":[{"finishReason":"OTHER","index":0}]}""";

    /** 200 with no candidates at all and no feedback. */
    public static final String NO_CANDIDATES = """
            {"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3}}""";

    /** The reference's canned quiz body (§5) for {@code questionsJson}, the JSON text the model produced. */
    public static String quiz(String questionsJson) {
        return """
                {"candidates":[{"content":{"role":"model","parts":[{"text":@@TEXT@@}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":812,"candidatesTokenCount":96,"totalTokenCount":908,"promptTokensDetails":[{"modality":"TEXT","tokenCount":812}]},
                 "modelVersion":"gemini-2.5-flash","responseId":"fake-0001"}""".replace("@@TEXT@@", jsonString(questionsJson));
    }

    /** Two SSE chunks of the reference capture (§1.5). */
    public static final String SSE_CHUNK_1 = """
            {"candidates": [{"content": {"parts": [{"text": "Here you go!\\n\\n1.  **English:** Hi\\n"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 5,"candidatesTokenCount": 39,"totalTokenCount": 230,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 5}],"thoughtsTokenCount": 186},"modelVersion": "models/gemini-2.5-flash-preview-05-20","responseId": "AdVRaMmDCYekqtsPrb_-iAw"}""";
    public static final String SSE_CHUNK_2 = """
            {"candidates": [{"content": {"parts": [{"text": "**Italian:** Ciao"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 5,"candidatesTokenCount": 44,"totalTokenCount": 235,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 5}],"thoughtsTokenCount": 186},"modelVersion": "models/gemini-2.5-flash-preview-05-20","responseId": "AdVRaMmDCYekqtsPrb_-iAw"}""";

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

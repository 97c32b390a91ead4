package dev.realtime.core.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Single-call Gemini REST client over {@code java.net.http}: {@code POST /v1beta/models/{model}:generateContent}
 * and {@code :streamGenerateContent?alt=sse}, with the API key in the {@code x-goog-api-key} header. It does no
 * retries and no key selection; wrap it in a {@link GeminiKeyRotatingClient} for that.
 *
 * <pre>{@code
 * GeminiClient client = GeminiClient.builder().model("gemini-2.5-flash").build();
 * String text = client.forKey(key).generateContent(GenerateContentRequest.ofText("Hello")).text();
 * }</pre>
 *
 * <p>Thread-safe and stateless apart from the underlying {@link HttpClient}; one instance can serve the whole
 * application. It creates no threads of its own and needs no closing (a supplied {@code HttpClient} stays owned by
 * the caller).
 *
 * @since 0.1
 */
public final class GeminiClient {
    /** Default endpoint (scheme, host, port only). */
    public static final URI DEFAULT_BASE_URL = URI.create("https://generativelanguage.googleapis.com");
    /** Default model id. */
    public static final String DEFAULT_MODEL = "gemini-2.5-flash";
    /** Default per-request timeout. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(GeminiClient.class);
    private static final Set<String> FILTER_REASONS = Set.of("SAFETY", "RECITATION", "BLOCKLIST",
            "PROHIBITED_CONTENT", "SPII", "LANGUAGE", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION");

    private final HttpClient http;
    private final URI baseUrl;
    private final String model;
    private final Duration requestTimeout;

    private GeminiClient(Builder b) {
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
        this.baseUrl = b.baseUrl;
        this.model = b.model;
        this.requestTimeout = b.requestTimeout;
    }

    /** A builder with the defaults: {@link #DEFAULT_BASE_URL}, {@link #DEFAULT_MODEL}, 30 s timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model id used in request paths. */
    public String model() {
        return model;
    }

    /** The endpoint base (scheme, host, port). */
    public URI baseUrl() {
        return baseUrl;
    }

    /** A {@link ContentGenerator} bound to one key, without retries. */
    public ContentGenerator forKey(String apiKey) {
        requireKey(apiKey);
        return new ContentGenerator() {
            @Override
            public GenerateContentResponse generateContent(GenerateContentRequest request) {
                return GeminiClient.this.generateContent(apiKey, request);
            }

            @Override
            public GenerateContentResponse streamGenerateContent(GenerateContentRequest request,
                                                                 Consumer<GenerateContentResponse> onChunk) {
                return GeminiClient.this.streamGenerateContent(apiKey, request, onChunk);
            }
        };
    }

    /**
     * One {@code generateContent} call with {@code apiKey}. Blocks up to the request timeout.
     *
     * @throws GeminiApiException       non-2xx status
     * @throws GeminiTransportException timeout, connection failure, interrupt
     * @throws GeminiContentException   200 without usable content (see {@link ContentGenerator#generateContent})
     */
    public GenerateContentResponse generateContent(String apiKey, GenerateContentRequest request) {
        requireKey(apiKey);
        Objects.requireNonNull(request, "request");
        HttpRequest httpRequest = newRequest(apiKey, request, ":generateContent", "");
        HttpResponse<String> response = send(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
                apiKey);
        if (response.statusCode() / 100 != 2) {
            throw apiError(response.statusCode(), response.body(), response);
        }
        GenerateContentResponse parsed;
        try {
            JsonNode root = GeminiJson.mapper().readTree(response.body());
            parsed = GeminiJson.parseResponse(root);
        } catch (JsonProcessingException e) {
            throw new GeminiTransportException(GeminiTransportException.Kind.IO,
                    "malformed JSON in a 200 response from Gemini", e);
        }
        checkContent(parsed);
        return parsed;
    }

    /**
     * One {@code streamGenerateContent?alt=sse} call with {@code apiKey}; see
     * {@link ContentGenerator#streamGenerateContent}. The request timeout bounds the wait for the response headers,
     * not the whole stream. SSE events framed with CRLF, LF or CR are accepted.
     */
    public GenerateContentResponse streamGenerateContent(String apiKey, GenerateContentRequest request,
                                                         Consumer<GenerateContentResponse> onChunk) {
        requireKey(apiKey);
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onChunk, "onChunk");
        HttpRequest httpRequest = newRequest(apiKey, request, ":streamGenerateContent", "?alt=sse");
        HttpResponse<InputStream> response = send(httpRequest, HttpResponse.BodyHandlers.ofInputStream(), apiKey);
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw apiError(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8),
                        response);
            }
            StreamAggregator aggregator = new StreamAggregator();
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    dispatch(data, aggregator, onChunk, response);
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
                }
                // other SSE fields (event:, id:, retry:, comments) carry nothing for Gemini
            }
            dispatch(data, aggregator, onChunk, response);
            GenerateContentResponse aggregate = aggregator.result();
            checkContent(aggregate);
            return aggregate;
        } catch (IOException e) {
            throw new GeminiTransportException(GeminiTransportException.Kind.IO,
                    "Gemini stream failed: " + e.getMessage(), e);
        }
    }

    private void dispatch(StringBuilder data, StreamAggregator aggregator, Consumer<GenerateContentResponse> onChunk,
                          HttpResponse<?> response) {
        if (data.length() == 0) {
            return;
        }
        String json = data.toString();
        data.setLength(0);
        JsonNode root;
        try {
            root = GeminiJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new GeminiTransportException(GeminiTransportException.Kind.IO, "malformed SSE chunk from Gemini", e);
        }
        if (root.has("error")) {
            throw apiError(root.path("error").path("code").asInt(500), json, response);
        }
        GenerateContentResponse chunk = GeminiJson.parseResponse(root);
        if (aggregator.first() && chunk.candidates().isEmpty() && chunk.promptFeedback() != null
                && chunk.promptFeedback().blockReason() != null) {
            throw new ContentBlockedException(chunk.promptFeedback().blockReason(), true, chunk);
        }
        aggregator.add(chunk);
        onChunk.accept(chunk);
    }

    static void checkContent(GenerateContentResponse r) {
        if (r.candidates().isEmpty()) {
            if (r.promptFeedback() != null && r.promptFeedback().blockReason() != null) {
                throw new ContentBlockedException(r.promptFeedback().blockReason(), true, r);
            }
            throw new EmptyResponseException(null, r);
        }
        Candidate c = r.candidates().get(0);
        String reason = c.finishReason();
        if ("MAX_TOKENS".equals(reason)) {
            throw new TruncatedResponseException(r);
        }
        if (reason != null && FILTER_REASONS.contains(reason)) {
            throw new ContentBlockedException(reason, false, r);
        }
        if (c.content() == null || ("OTHER".equals(reason) && c.text().isEmpty())) {
            throw new EmptyResponseException(reason, r);
        }
    }

    private HttpRequest newRequest(String apiKey, GenerateContentRequest request, String method, String query) {
        String path = "/v1beta/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + method + query;
        return HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("x-goog-api-key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(GeminiJson.writeRequest(request), StandardCharsets.UTF_8))
                .build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String apiKey) {
        try {
            HttpResponse<T> response = http.send(request, handler);
            if (log.isDebugEnabled()) {
                log.debug("POST {} key={} -> {}", request.uri().getPath(), KeyMask.mask(apiKey),
                        response.statusCode());
            }
            return response;
        } catch (HttpTimeoutException e) {
            throw new GeminiTransportException(GeminiTransportException.Kind.TIMEOUT,
                    "Gemini request timed out after " + requestTimeout, e);
        } catch (IOException e) {
            throw new GeminiTransportException(GeminiTransportException.Kind.IO,
                    "Gemini request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeminiTransportException(GeminiTransportException.Kind.INTERRUPTED,
                    "interrupted while calling Gemini", e);
        }
    }

    private static GeminiApiException apiError(int status, String body, HttpResponse<?> response) {
        Duration retryAfter = response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
        return new GeminiApiException(GeminiError.parse(status, body), retryAfter);
    }

    private static void requireKey(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
    }

    /** Collects stream chunks into one response. */
    private static final class StreamAggregator {
        private final StringBuilder text = new StringBuilder();
        private int chunks;
        private String finishReason;
        private PromptFeedback feedback;
        private UsageMetadata usage;
        private String modelVersion;
        private String responseId;

        boolean first() {
            return chunks == 0;
        }

        void add(GenerateContentResponse chunk) {
            if (chunks++ == 0) {
                feedback = chunk.promptFeedback();
            }
            if (!chunk.candidates().isEmpty()) {
                Candidate c = chunk.candidates().get(0);
                text.append(c.text());
                if (c.finishReason() != null) {
                    finishReason = c.finishReason();
                }
            }
            if (chunk.usageMetadata() != UsageMetadata.EMPTY) {
                usage = chunk.usageMetadata();
            }
            modelVersion = chunk.modelVersion() != null ? chunk.modelVersion() : modelVersion;
            responseId = chunk.responseId() != null ? chunk.responseId() : responseId;
        }

        GenerateContentResponse result() {
            List<Candidate> candidates = new ArrayList<>();
            if (chunks > 0 && (text.length() > 0 || finishReason != null)) {
                Content content = text.length() == 0 ? null : new Content("model", List.of(Part.text(text.toString())));
                candidates.add(new Candidate(content, finishReason, 0));
            }
            return new GenerateContentResponse(candidates, feedback, usage, modelVersion, responseId);
        }
    }

    /** Builder for {@link GeminiClient}; validates eagerly, not thread-safe. */
    public static final class Builder {
        private URI baseUrl = DEFAULT_BASE_URL;
        private String model = DEFAULT_MODEL;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private HttpClient httpClient;

        private Builder() {
        }

        /**
         * Endpoint base: scheme, host and optional port only, e.g. {@code http://127.0.0.1:8089}. The client appends
         * {@code /v1beta/models/{model}:generateContent}.
         */
        public Builder baseUrl(String baseUrl) {
            URI uri = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
            String scheme = uri.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("baseUrl must be http or https: " + baseUrl);
            }
            if (uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                    || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
                throw new IllegalArgumentException("baseUrl must be scheme://host[:port] only: " + baseUrl);
            }
            this.baseUrl = URI.create(scheme + "://" + uri.getRawAuthority());
            return this;
        }

        /** Bare model id such as {@code gemini-2.5-flash} (no {@code models/} prefix). */
        public Builder model(String model) {
            if (model == null || model.isBlank() || model.contains("/") || model.contains(":")) {
                throw new IllegalArgumentException("model must be a bare id such as gemini-2.5-flash: " + model);
            }
            this.model = model;
            return this;
        }

        /** Per-request timeout (default 30 s); for streams, the wait for the response headers. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Connect timeout of the internally created {@link HttpClient} (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Uses a caller-owned {@link HttpClient} instead of creating one; its connect timeout then applies. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Builds the client. */
        public GeminiClient build() {
            return new GeminiClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}

package dev.realtime.core.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code GenerateContentRequest}: optional system instruction, non-empty contents, optional generation config.
 * Immutable; build with {@link #builder()} or {@link #ofText(String)}.
 *
 * @since 0.1
 */
public record GenerateContentRequest(Content systemInstruction, List<Content> contents,
                                     GenerationConfig generationConfig) {
    public GenerateContentRequest {
        contents = List.copyOf(contents);
        if (contents.isEmpty()) {
            throw new IllegalArgumentException("contents must not be empty");
        }
    }

    /** A single-turn text request with no system instruction or configuration. */
    public static GenerateContentRequest ofText(String text) {
        return builder().userText(text).build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy of this request with another generation config. */
    public GenerateContentRequest withGenerationConfig(GenerationConfig config) {
        return new GenerateContentRequest(systemInstruction, contents, config);
    }

    /** Builder for {@link GenerateContentRequest}; not thread-safe. */
    public static final class Builder {
        private Content systemInstruction;
        private final List<Content> contents = new ArrayList<>();
        private final List<Part> pendingUserParts = new ArrayList<>();
        private GenerationConfig generationConfig;

        private Builder() {
        }

        /** Sets the system instruction (text only). */
        public Builder systemInstruction(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("systemInstruction must not be blank");
            }
            this.systemInstruction = Content.system(text);
            return this;
        }

        /** Adds a text part to the current user turn. */
        public Builder userText(String text) {
            Objects.requireNonNull(text, "text");
            pendingUserParts.add(Part.text(text));
            return this;
        }

        /** Adds an inline binary part (audio, image, PDF) to the current user turn. */
        public Builder userInlineData(String mimeType, byte[] bytes) {
            pendingUserParts.add(Part.inlineData(mimeType, bytes));
            return this;
        }

        /** Adds parts to the current user turn. */
        public Builder userParts(Part... parts) {
            pendingUserParts.addAll(List.of(parts));
            return this;
        }

        /** Closes the current user turn (if any) and appends {@code content} as a complete turn. */
        public Builder addContent(Content content) {
            flushUser();
            contents.add(Objects.requireNonNull(content, "content"));
            return this;
        }

        /** Sets the generation config. */
        public Builder generationConfig(GenerationConfig config) {
            this.generationConfig = config;
            return this;
        }

        /** Builds the request; fails if no content was added. */
        public GenerateContentRequest build() {
            flushUser();
            if (contents.isEmpty()) {
                throw new IllegalStateException("a request needs at least one content part");
            }
            return new GenerateContentRequest(systemInstruction, contents, generationConfig);
        }

        private void flushUser() {
            if (!pendingUserParts.isEmpty()) {
                contents.add(new Content("user", pendingUserParts));
                pendingUserParts.clear();
            }
        }
    }
}

package dev.realtime.core.internal;

/** A payload that is already JSON text; published as-is, without re-serialization. */
public record RawJson(String json) {
}

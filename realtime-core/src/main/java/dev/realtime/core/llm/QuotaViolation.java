package dev.realtime.core.llm;

/**
 * One {@code google.rpc.QuotaFailure} violation, e.g. quotaId
 * {@code GenerateRequestsPerMinutePerProjectPerModel-FreeTier}. Fields are {@code null} when absent.
 *
 * @since 0.1
 */
public record QuotaViolation(String quotaMetric, String quotaId, String quotaValue) {
    /** True when the quota id names a per-day window ({@code ...PerDay...}). */
    public boolean perDay() {
        return quotaId != null && quotaId.contains("PerDay");
    }

    /** True when the quota id names a per-minute window ({@code ...PerMinute...}). */
    public boolean perMinute() {
        return quotaId != null && quotaId.contains("PerMinute");
    }
}

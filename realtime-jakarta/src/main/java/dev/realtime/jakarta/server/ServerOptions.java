package dev.realtime.jakarta.server;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Command-line and environment options of a standalone server. Flags win over environment variables:
 * <ul>
 *   <li>{@code --port N} / {@code PORT} (default 8080; 0 picks a free port)</li>
 *   <li>{@code --host H} / {@code REALTIME_HOST} (default {@code 0.0.0.0})</li>
 *   <li>{@code --api-key K} / {@code REALTIME_API_KEY} (none: the publish API is open)</li>
 *   <li>{@code --redis URL} / {@code REDIS_URL} (none: everything in memory, one node)</li>
 *   <li>{@code --jwt-secret S} / {@code REALTIME_JWT_SECRET}: HS256 authentication on every protocol</li>
 *   <li>{@code --jwks URL|FILE} / {@code REALTIME_JWKS}: RS256/ES256 authentication with keys from a JWKS</li>
 *   <li>{@code --allowed-origins A,B} / {@code REALTIME_ALLOWED_ORIGINS}: Origin allow-list for upgrades</li>
 *   <li>{@code --gemini-keys K1,K2} / {@code GEMINI_API_KEYS} (also {@code GEMINI_API_KEY}, {@code GEMINI_API_KEY_1}..)</li>
 *   <li>{@code --gemini-base-url U} / {@code GEMINI_BASE_URL}, {@code --gemini-model M} / {@code GEMINI_MODEL}</li>
 *   <li>{@code --public-url U} / {@code REALTIME_PUBLIC_URL}: base of share links (default http://localhost:PORT)</li>
 *   <li>{@code --data-dir D} / {@code REALTIME_DATA_DIR}: where uploads and page images are kept</li>
 *   <li>{@code --trusted-proxies A,B} / {@code REALTIME_TRUSTED_PROXIES}: reverse proxies whose forwarding headers
 *       name the client address that per-address limits count</li>
 *   <li>{@code --history-size N} / {@code REALTIME_HISTORY_SIZE}: events kept per job stream (default 100)</li>
 *   <li>{@code --upload-quota-mb N} / {@code REALTIME_UPLOAD_QUOTA_MB} (default 200),
 *       {@code --upload-retention-hours N} / {@code REALTIME_UPLOAD_RETENTION_HOURS} (default 24)</li>
 *   <li>{@code --interview-access any|claim:NAME} / {@code REALTIME_INTERVIEW_ACCESS}, {@code --interview-transcriber
 *       offline|gemini} / {@code REALTIME_INTERVIEW_TRANSCRIBER}: the interview gateway's join rule and speech to
 *       text</li>
 *   <li>{@code --help}</li>
 * </ul>
 * Flags take their value as the next argument or after {@code =} ({@code --port=9000}). Unknown flags, missing
 * values and bad numbers fail with an {@link IllegalArgumentException} whose message names the problem.
 *
 * @param port    the port to bind, 0 to 65535
 * @param host    the address to bind
 * @param values  every other option that was given, by flag name without dashes (e.g. {@code redis})
 * @param help    whether {@code --help} was given
 * @since 0.1
 */
public record ServerOptions(int port, String host, Map<String, String> values, boolean help) {
    public static final int DEFAULT_PORT = 8080;

    /** Flag name, environment variable, help text. */
    private static final String[][] OPTIONS = {
            {"port", "PORT", "port to listen on (default 8080; 0 = any free port)"},
            {"host", "REALTIME_HOST", "address to bind (default 0.0.0.0)"},
            {"api-key", "REALTIME_API_KEY", "key required in X-Api-Key to publish over HTTP (else open)"},
            {"redis", "REDIS_URL", "redis://host:port to share history and events between nodes (else memory)"},
            {"jwt-secret", "REALTIME_JWT_SECRET", "HS256 secret (>= 32 bytes): JWT required on every connection"},
            {"jwks", "REALTIME_JWKS", "JWKS URL or file for RS256/ES256 tokens"},
            {"allowed-origins", "REALTIME_ALLOWED_ORIGINS", "comma-separated Origin allow-list for upgrades"},
            {"gemini-keys", "GEMINI_API_KEYS", "comma-separated Gemini API keys (else the offline generator)"},
            {"gemini-base-url", "GEMINI_BASE_URL", "Gemini endpoint, scheme://host[:port]"},
            {"gemini-model", "GEMINI_MODEL", "Gemini model name"},
            {"public-url", "REALTIME_PUBLIC_URL", "public base URL used in share links"},
            {"data-dir", "REALTIME_DATA_DIR", "directory for uploads and page images"},
            {"trusted-proxies", "REALTIME_TRUSTED_PROXIES",
                    "comma-separated proxy addresses/CIDRs whose X-Forwarded-For/Forwarded are believed"},
            {"upload-quota-mb", "REALTIME_UPLOAD_QUOTA_MB", "upload quota per user or address in MB (default 200)"},
            {"history-size", "REALTIME_HISTORY_SIZE", "events kept per job stream for resume (default 100)"},
            {"upload-retention-hours", "REALTIME_UPLOAD_RETENTION_HOURS",
                    "hours uploads and page images are kept (default 24)"},
            {"interview-access", "REALTIME_INTERVIEW_ACCESS",
                    "who may join interview sessions: 'any' authenticated user (default) or 'claim:NAME' (the token's "
                            + "claim lists its sessions)"},
            {"interview-transcriber", "REALTIME_INTERVIEW_TRANSCRIBER",
                    "'offline' (pocketsphinx, default) or 'gemini' (needs Gemini keys)"},
    };

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        Objects.requireNonNull(host, "host");
        values = Map.copyOf(values);
    }

    /** Parses flags, falling back to the process environment. */
    public static ServerOptions parse(String[] args) {
        return parse(args, System.getenv());
    }

    /** Parses flags, falling back to {@code env} (injectable for tests). */
    public static ServerOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String[] o : OPTIONS) {
            String v = env.get(o[1]);
            if (v != null && !v.isBlank()) {
                values.put(o[0], v.trim());
            }
        }
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                help = true;
                continue;
            }
            String key = name.startsWith("--") ? name.substring(2) : null;
            if (key == null || Arrays.stream(OPTIONS).noneMatch(o -> o[0].equals(key))) {
                throw new IllegalArgumentException("unknown option '" + arg + "' (try --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                value = args[++i];
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException("empty value for " + name);
            }
            values.put(key, value.trim());
        }
        int p = DEFAULT_PORT;
        String port = values.remove("port");
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number: " + port);
            }
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + p);
            }
        }
        String host = values.remove("host");
        return new ServerOptions(p, host == null ? "0.0.0.0" : host, values, help);
    }

    /** The API key for the publish API, if any. */
    public Optional<String> apiKey() {
        return value("api-key");
    }

    /** An option by flag name (without dashes), e.g. {@code value("redis")}. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** A whole-number option, or {@code dflt} when absent; a bad number fails with the option's name. */
    public long number(String name, long dflt) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1: " + v.get());
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number: " + v.get());
        }
    }

    /** A comma-separated option as a list (empty when absent). */
    public List<String> list(String name) {
        return value(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** The usage text for {@code --help}. */
    public static String usage(String command) {
        StringBuilder sb = new StringBuilder("Usage: ").append(command).append(" [options]\n");
        for (String[] o : OPTIONS) {
            sb.append(String.format("  --%-16s %s (env %s)%n", o[0] + " V", o[2], o[1]));
        }
        return sb.append("  --help             show this help\n").toString();
    }

    @Override
    public String toString() {
        // never print secrets
        StringBuilder sb = new StringBuilder("ServerOptions[port=").append(port).append(", host=").append(host);
        values.forEach((k, v) -> sb.append(", ").append(k).append('=')
                .append(k.contains("key") || k.contains("secret") ? "***" : v));
        return sb.append(", help=").append(help).append(']').toString();
    }
}

package dev.realtime.jakarta.server;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Command-line and environment options of a standalone server. Flags win over environment variables:
 * <ul>
 *   <li>{@code --port N} / {@code PORT} (default 8080; 0 picks a free port)</li>
 *   <li>{@code --host H} / {@code REALTIME_HOST} (default {@code 0.0.0.0})</li>
 *   <li>{@code --api-key K} / {@code REALTIME_API_KEY} (none: the publish API is open)</li>
 *   <li>{@code --help}</li>
 * </ul>
 * Flags take their value as the next argument or after {@code =} ({@code --port=9000}). Unknown flags, missing
 * values and bad numbers fail with an {@link IllegalArgumentException} whose message names the problem.
 *
 * @param port   the port to bind, 0 to 65535
 * @param host   the address to bind
 * @param apiKey the API key for the publish API, if any
 * @param help   whether {@code --help} was given
 * @since 0.1
 */
public record ServerOptions(int port, String host, Optional<String> apiKey, boolean help) {
    public static final int DEFAULT_PORT = 8080;

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKey, "apiKey");
    }

    /** Parses flags, falling back to the process environment. */
    public static ServerOptions parse(String[] args) {
        return parse(args, System.getenv());
    }

    /** Parses flags, falling back to {@code env} (injectable for tests). */
    public static ServerOptions parse(String[] args, Map<String, String> env) {
        String port = env.get("PORT");
        String host = env.getOrDefault("REALTIME_HOST", "0.0.0.0");
        String apiKey = env.get("REALTIME_API_KEY");
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
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--port", "--host", "--api-key" -> {
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new IllegalArgumentException("missing value for " + name);
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--port" -> port = value;
                        case "--host" -> host = value;
                        default -> apiKey = value;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "' (try --help)");
            }
        }
        int p = DEFAULT_PORT;
        if (port != null && !port.isBlank()) {
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number: " + port);
            }
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + p);
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        return new ServerOptions(p, host, Optional.ofNullable(apiKey).filter(k -> !k.isBlank()), help);
    }

    /** The usage text for {@code --help}. */
    public static String usage(String command) {
        return "Usage: " + command + " [--port N] [--host ADDRESS] [--api-key KEY]\n"
                + "  --port N        port to listen on (env PORT, default 8080; 0 = any free port)\n"
                + "  --host ADDRESS  address to bind (env REALTIME_HOST, default 0.0.0.0)\n"
                + "  --api-key KEY   key required in X-Api-Key to publish over HTTP (env REALTIME_API_KEY;\n"
                + "                  without it the publish API is open)\n"
                + "  --help          show this help\n";
    }

    @Override
    public String toString() {
        // never print the key
        return "ServerOptions[port=" + port + ", host=" + host + ", apiKey=" + (apiKey.isPresent() ? "***" : "none")
                + ", help=" + help + "]";
    }
}

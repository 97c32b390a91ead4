package dev.realtime.core.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reverse proxies whose {@code Forwarded} / {@code X-Forwarded-For} headers the server believes. Per-address
 * limits (handshakes per second, connections per address) count the <em>client</em> address: the peer address
 * when the peer is not a trusted proxy, otherwise the right-most address in the forwarding chain that is not a
 * trusted proxy. Headers from anyone else are ignored, so a client cannot pick its own address.
 *
 * <p>Entries are IP literals ({@code 10.0.0.5}, {@code ::1}) or CIDR blocks ({@code 10.0.0.0/8},
 * {@code fd00::/8}); host names are refused (no DNS lookups, ever). Immutable and thread-safe.
 *
 * <pre>{@code
 * RealtimeHub.builder().trustedProxies(TrustedProxies.of(List.of("127.0.0.1", "10.0.0.0/8")))
 * }</pre>
 *
 * @since 0.2
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<byte[]> networks;
    private final List<Integer> prefixes;

    private TrustedProxies(List<byte[]> networks, List<Integer> prefixes) {
        this.networks = networks;
        this.prefixes = prefixes;
    }

    /** Trusts no proxy: the peer address is the client address (the default). */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Trusts the given addresses and CIDR blocks.
     *
     * @throws IllegalArgumentException for an entry that is not an IP literal or a valid CIDR block
     */
    public static TrustedProxies of(Collection<String> entries) {
        List<byte[]> nets = new ArrayList<>();
        List<Integer> bits = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            int slash = e.indexOf('/');
            byte[] addr = literal(slash < 0 ? e : e.substring(0, slash))
                    .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR block: " + raw));
            int prefix = addr.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("bad CIDR prefix: " + raw);
                }
                if (prefix < 0 || prefix > addr.length * 8) {
                    throw new IllegalArgumentException("CIDR prefix out of range: " + raw);
                }
            }
            nets.add(addr);
            bits.add(prefix);
        }
        return nets.isEmpty() ? NONE : new TrustedProxies(List.copyOf(nets), List.copyOf(bits));
    }

    /** Whether any proxy is trusted. */
    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** Whether {@code address} (an IP literal) is a trusted proxy. */
    public boolean trusts(String address) {
        Optional<byte[]> a = literal(address);
        if (a.isEmpty()) {
            return false;
        }
        byte[] addr = a.get();
        for (int i = 0; i < networks.size(); i++) {
            byte[] net = networks.get(i);
            if (net.length == addr.length && matches(net, addr, prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client address of a request.
     *
     * @param peer          the TCP peer address
     * @param forwarded     the {@code Forwarded} header (RFC 7239), if any
     * @param xForwardedFor the {@code X-Forwarded-For} header, if any (used when {@code Forwarded} is absent)
     * @return the right-most untrusted address of the chain, or {@code peer} when the peer is not trusted
     */
    public String clientAddress(String peer, Optional<String> forwarded, Optional<String> xForwardedFor) {
        if (networks.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> chain = forwarded.map(TrustedProxies::forwardedFor)
                .orElseGet(() -> xForwardedFor.map(TrustedProxies::split).orElse(List.of()));
        String client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            if (literal(hop).isEmpty()) {
                return client; // garbage or an obfuscated identifier: stop at the last hop we can vouch for
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
    }

    private static List<String> split(String header) {
        List<String> out = new ArrayList<>();
        for (String part : header.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(stripPort(p));
            }
        }
        return out;
    }

    private static List<String> forwardedFor(String header) {
        List<String> out = new ArrayList<>();
        for (String element : header.split(",")) {
            for (String pair : element.split(";")) {
                String p = pair.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
                    String v = p.substring(4).trim();
                    if (v.length() > 1 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    out.add(stripPort(v));
                }
            }
        }
        return out;
    }

    /** {@code [::1]:80} → {@code ::1}; {@code 1.2.3.4:80} → {@code 1.2.3.4}; a bare IPv6 stays as it is. */
    private static String stripPort(String v) {
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            return end > 0 ? v.substring(1, end) : v;
        }
        int colon = v.indexOf(':');
        return colon > 0 && colon == v.lastIndexOf(':') ? v.substring(0, colon) : v;
    }

    /** Parses an IP literal without any name lookup. */
    static Optional<byte[]> literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return Optional.empty();
        }
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F') || c == '%'));
            if (!ok) {
                return Optional.empty();
            }
        }
        if (!v6 && s.chars().filter(c -> c == '.').count() != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s).getAddress()); // a literal: never resolved through DNS
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean matches(byte[] net, byte[] addr, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != addr[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (net[full] & mask) == (addr[full] & mask);
    }
}

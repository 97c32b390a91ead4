package dev.realtime.core.security;

import dev.realtime.core.Client;
import dev.realtime.core.SubscriptionPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The safe default {@link SubscriptionPolicy} used when authentication is on:
 * <ul>
 *   <li>{@code user:{id}}: only that user (or the admin role);</li>
 *   <li>{@code job:{id}}: only the job's owner (the user id given when the job was published) or the admin
 *       role; a job with no known owner only the admin role;</li>
 *   <li>{@code all-jobs}: only the admin role;</li>
 *   <li>any other room: only when an application rule for its prefix allows it (deny by default).</li>
 * </ul>
 * Rules are checked on subscribe, on native resume, and on Socket.IO recovery. Thread-safe once built.
 *
 * @since 0.1
 */
public final class RoomRules implements SubscriptionPolicy {
    private final Function<String, Optional<String>> jobOwner;
    private final String adminRole;
    private final Map<String, BiPredicate<Client, String>> rules;
    private final Function<Client, Optional<Principal>> principals;

    private RoomRules(Builder b) {
        this.jobOwner = b.jobOwner;
        this.adminRole = b.adminRole;
        this.rules = Map.copyOf(b.rules);
        this.principals = b.principals;
    }

    /**
     * @param jobOwner   looks up a job's owner by job id (the hub passes its job registry)
     * @param principals finds a client's principal (the hub passes its own lookup)
     */
    public static Builder builder(Function<String, Optional<String>> jobOwner,
                                  Function<Client, Optional<Principal>> principals) {
        return new Builder(jobOwner, principals);
    }

    @Override
    public boolean mayJoin(Client client, String room) {
        Optional<Principal> p = principals.apply(client);
        if (p.isEmpty()) {
            return false;
        }
        boolean admin = p.get().hasRole(adminRole);
        String user = p.get().userId();
        if (room.equals("all-jobs")) {
            return admin;
        }
        if (room.startsWith("user:")) {
            return admin || room.substring(5).equals(user);
        }
        if (room.startsWith("job:")) {
            if (admin) {
                return true;
            }
            return jobOwner.apply(room.substring(4)).map(user::equals).orElse(false);
        }
        for (Map.Entry<String, BiPredicate<Client, String>> r : rules.entrySet()) {
            if (room.startsWith(r.getKey())) {
                return r.getValue().test(client, room);
            }
        }
        return admin;
    }

    /** Configures {@link RoomRules}. Not thread-safe. */
    public static final class Builder {
        private final Function<String, Optional<String>> jobOwner;
        private final Function<Client, Optional<Principal>> principals;
        private String adminRole = "admin";
        private final Map<String, BiPredicate<Client, String>> rules = new LinkedHashMap<>();

        private Builder(Function<String, Optional<String>> jobOwner, Function<Client, Optional<Principal>> principals) {
            this.jobOwner = Objects.requireNonNull(jobOwner, "jobOwner");
            this.principals = Objects.requireNonNull(principals, "principals");
        }

        /** The role that may join every room (default {@code admin}). */
        public Builder adminRole(String role) {
            this.adminRole = Objects.requireNonNull(role, "role");
            return this;
        }

        /** Allows rooms starting with {@code prefix} (e.g. {@code contest:}) when {@code rule} says so. */
        public Builder allow(String prefix, BiPredicate<Client, String> rule) {
            rules.put(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public RoomRules build() {
            return new RoomRules(this);
        }
    }
}

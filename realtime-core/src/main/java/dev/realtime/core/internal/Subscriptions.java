package dev.realtime.core.internal;

import java.util.Set;

/**
 * The rooms one peer is in, by room name (an idle connection in one room keeps one small object here, not a hash
 * table). Thread-safe, as {@link CompactMap}.
 */
final class Subscriptions extends CompactMap<Subscription> {
    Set<String> rooms() {
        return keys();
    }
}

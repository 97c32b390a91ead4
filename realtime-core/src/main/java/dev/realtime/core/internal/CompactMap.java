package dev.realtime.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small string-keyed map for per-connection state that usually holds one entry (a socket's rooms, a session's
 * namespaces): the first entry lives in two fields and a hash map exists only from the second on, so the common case
 * costs one small object instead of a hash table. Thread-safe: every method takes this object's monitor, which only
 * the connection's own threads contend for; no callback runs under it. Snapshots ({@link #keys}, {@link #values})
 * are copies.
 *
 * @param <V> the value type
 */
class CompactMap<V> {
    private String firstKey;
    private V first;
    /** Every entry but the first; null until a second key. */
    private Map<String, V> more;

    final synchronized V get(String key) {
        if (key.equals(firstKey)) {
            return first;
        }
        return more == null ? null : more.get(key);
    }

    final synchronized boolean containsKey(String key) {
        return key.equals(firstKey) || more != null && more.containsKey(key);
    }

    final synchronized void put(String key, V value) {
        if (firstKey == null || key.equals(firstKey)) {
            firstKey = key;
            first = value;
        } else {
            if (more == null) {
                more = new HashMap<>(4);
            }
            more.put(key, value);
        }
    }

    final synchronized V remove(String key) {
        if (key.equals(firstKey)) {
            V v = first;
            firstKey = null;
            first = null;
            if (more != null && !more.isEmpty()) { // promote one, so the inline slot stays in use
                String k = more.keySet().iterator().next();
                first = more.remove(k);
                firstKey = k;
            }
            return v;
        }
        return more == null ? null : more.remove(key);
    }

    /** Removes the entry only while {@code key} maps to {@code value} (identity). */
    final synchronized boolean remove(String key, V value) {
        if (get(key) != value || value == null) {
            return false;
        }
        remove(key);
        return true;
    }

    final synchronized Set<String> keys() {
        if (more == null || more.isEmpty()) {
            return firstKey == null ? Set.of() : Set.of(firstKey);
        }
        List<String> all = new ArrayList<>(more.keySet());
        if (firstKey != null) {
            all.add(firstKey);
        }
        return Set.copyOf(all);
    }

    final synchronized List<V> values() {
        List<V> all = new ArrayList<>(size());
        if (first != null) {
            all.add(first);
        }
        if (more != null) {
            all.addAll(more.values());
        }
        return all;
    }

    final synchronized int size() {
        return (firstKey == null ? 0 : 1) + (more == null ? 0 : more.size());
    }

    /** Empties the map and returns what it held. */
    final synchronized List<V> clear() {
        List<V> all = values();
        more = null;
        firstKey = null;
        first = null;
        return all;
    }
}

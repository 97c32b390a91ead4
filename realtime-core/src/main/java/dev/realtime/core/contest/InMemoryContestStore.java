package dev.realtime.core.contest;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ContestStore} in concurrent maps; thread-safe, unbounded. */
final class InMemoryContestStore implements ContestStore {
    private final ConcurrentHashMap<String, Contest> contests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> participants = new ConcurrentHashMap<>();
    private final Set<String> claims = ConcurrentHashMap.newKeySet();

    @Override
    public void save(Contest contest) {
        contests.put(contest.id(), contest);
    }

    @Override
    public Optional<Contest> byId(String contestId) {
        return contestId == null ? Optional.empty() : Optional.ofNullable(contests.get(contestId));
    }

    @Override
    public List<Contest> list() {
        return contests.values().stream().sorted(Comparator.comparing(Contest::startsAt)
                .thenComparing(Contest::id)).toList();
    }

    @Override
    public boolean delete(String contestId) {
        participants.remove(contestId);
        return contests.remove(contestId) != null;
    }

    @Override
    public boolean register(String contestId, String userId) {
        return participants.computeIfAbsent(contestId, k -> ConcurrentHashMap.newKeySet()).add(userId);
    }

    @Override
    public boolean unregister(String contestId, String userId) {
        Set<String> s = participants.get(contestId);
        return s != null && s.remove(userId);
    }

    @Override
    public boolean isRegistered(String contestId, String userId) {
        Set<String> s = participants.get(contestId);
        return s != null && s.contains(userId);
    }

    @Override
    public long participantCount(String contestId) {
        Set<String> s = participants.get(contestId);
        return s == null ? 0 : s.size();
    }

    @Override
    public boolean claim(String contestId, String milestone) {
        return claims.add(contestId + '\u0000' + milestone);
    }
}

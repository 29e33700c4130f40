package io.rapidfire.store.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A sorted set (member -> score, ordered by score then member): the in-memory twin of a Redis zset. Not thread-safe. */
final class ScoreIndex {
    private record Entry(long score, String member) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(score, o.score);
            return c != 0 ? c : member.compareTo(o.member);
        }
    }

    private final TreeSet<Entry> sorted = new TreeSet<>();
    private final Map<String, Long> scores = new HashMap<>();

    void put(String member, long score) {
        remove(member);
        scores.put(member, score);
        sorted.add(new Entry(score, member));
    }

    void remove(String member) {
        Long old = scores.remove(member);
        if (old != null) {
            sorted.remove(new Entry(old, member));
        }
    }

    long score(String member) {
        return scores.get(member);
    }

    boolean contains(String member) {
        return scores.containsKey(member);
    }

    /** Members with score <= max, lowest first, at most limit. */
    List<String> upTo(long max, int limit) {
        List<String> out = new ArrayList<>();
        for (Entry e : sorted) {
            if (e.score > max || out.size() >= limit) {
                break;
            }
            out.add(e.member);
        }
        return out;
    }

    /** The lowest score, or -1 when empty. */
    long first() {
        return sorted.isEmpty() ? -1 : sorted.first().score;
    }

    List<Map.Entry<String, Long>> head(int limit) {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        for (Entry e : sorted) {
            if (out.size() >= limit) {
                break;
            }
            out.add(Map.entry(e.member, e.score));
        }
        return out;
    }

    int size() {
        return scores.size();
    }
}

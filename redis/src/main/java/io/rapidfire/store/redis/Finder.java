package io.rapidfire.store.redis;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.ScanCursor;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.StoreAdmin.Found;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finding conversations for an operator: ZSCAN with MATCH over each partition's due and in-flight indexes, so Redis
 * filters the conversation keys and only matches travel; a batch id is one HGET per partition in the batch index; a
 * message id, a script per page of each index asking each conversation's de-duplication set (findMessage-1.lua). No
 * index of its own, so the append pays nothing. Redis walks every member of an index (100,000 open: a few ms per
 * partition's share), which is fine for a person typing in a search box, never for the hot path.
 */
final class Finder {
    private static final int SCAN_COUNT = 1_000;
    private final StoreContext ctx;
    private final RedisKeys keys;

    Finder(StoreContext ctx) {
        this.ctx = ctx;
        this.keys = ctx.keys();
    }

    List<Found> find(String text, int limit) {
        Map<String, Found> out = new LinkedHashMap<>();
        String pattern = "*" + glob(text) + "*";
        for (int p = 0; p < ctx.partitions() && out.size() < limit; p++) {
            int part = p;
            String batchConv = ctx.calls().call("find", "partition " + p, () -> ctx.redis().hget(keys.batches(part), text));
            if (batchConv != null) {
                inFlight(part, batchConv, out);
            }
            for (String conv : scan(keys.inflight(p), pattern, limit - out.size())) {
                inFlight(part, conv, out);
            }
            for (String conv : scan(keys.due(p), pattern, limit - out.size())) {
                out.putIfAbsent(conv, new Found(ConversationRef.parseKey(conv), false, null));
            }
            for (String conv : withMessage(p, text, limit - out.size())) {
                if (!out.containsKey(conv)) {
                    inFlight(part, conv, out);
                    out.putIfAbsent(conv, new Found(ConversationRef.parseKey(conv), false, null));
                }
            }
        }
        return new ArrayList<>(out.values()).subList(0, Math.min(limit, out.size()));
    }

    /** Conversations per page of an index asked for a message id: about half a millisecond of Redis each. */
    private static final int PAGE = 500;

    /** The open or in-flight conversations of partition p that received message id {@code id} (findMessage-1.lua). */
    @SuppressWarnings("unchecked")
    private List<String> withMessage(int p, String id, int max) {
        List<String> found = new ArrayList<>();
        for (String index : List.of(keys.inflight(p), keys.due(p))) {
            long from = 0;
            while (from >= 0 && found.size() < max) {
                String[] a = {keys.partitionPrefix(p), id, Long.toString(from), Integer.toString(PAGE)};
                List<Object> r = ctx.calls().script("find", "partition " + p, LuaScripts.Script.FIND_MESSAGE,
                        io.lettuce.core.ScriptOutputType.MULTI, new String[]{index}, a);
                from = (Long) r.get(0);
                for (Object conv : r.subList(1, r.size())) {
                    if (!found.contains(conv)) {
                        found.add((String) conv);
                    }
                }
            }
        }
        return found.size() > max ? found.subList(0, max) : found;
    }

    private void inFlight(int p, String conv, Map<String, Found> out) {
        String id = ctx.calls().call("find", conv, () -> ctx.redis().hget(keys.conversation(p, conv), "fid"));
        if (id != null) {
            out.put(conv, new Found(ConversationRef.parseKey(conv), true, id));
        }
    }

    private List<String> scan(String index, String pattern, int max) {
        List<String> found = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_COUNT);
        while (found.size() < max) {
            ScanCursor from = cursor;
            ScoredValueScanCursor<String> page = ctx.calls().call("find", index, () -> ctx.redis().zscan(index, from, args));
            page.getValues().forEach(v -> found.add(v.getValue()));
            if (page.isFinished()) {
                break;
            }
            cursor = page;
        }
        return found.size() > max ? found.subList(0, max) : found;
    }

    /** The text as a literal in a MATCH pattern. */
    private static String glob(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}

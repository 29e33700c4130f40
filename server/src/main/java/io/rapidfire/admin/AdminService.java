package io.rapidfire.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.BatchStore;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.DeadLetter;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.core.SharedState;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.core.TenantPolicies;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.Registry;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator's operations, once for every front end: the original's stats routes ({@link AdminRoutes}), the
 * dashboard's JSON ({@link AdminApi}) and the CLI only parse their input and format these records. Two rules live
 * here and nowhere else: paging ({@link Paging}) and masking (every read takes the caller's {@link AdminView} and
 * returns what it may see, so no front end can forget to mask).
 */
public final class AdminService {
    private final BatchStore store;
    private final Registry registry;
    private final Supplier<Policies> policies;
    private volatile Supplier<JsonNode> doctor;

    private final ConversationAdmin conversations;

    public AdminService(BatchStore store, Registry registry, Supplier<Policies> policies) {
        this.store = store;
        this.registry = registry;
        this.policies = policies;
        this.conversations = new ConversationAdmin(store, policies);
    }

    /** An open conversation, as the caller's view shows it. */
    public record Open(String key, String tenant, String channel, String sender, long messages, long bytes,
                       long firstMessageAgeMs, long quietForMs, long dueAtMs, long dueInMs, String rule, Boolean typing) {
    }

    /** A batch with the bot (or waiting to be retried, or awaiting its commit). */
    public record InFlight(String key, String tenant, String channel, String sender, String batchId, int attempt,
                           String state, long untilInMs, String worker, String lastError, long waitingMessages) {
    }

    /** A dead letter's summary; {@code document} (the batch as delivered) only when one was asked for. */
    public record Dead(String batchId, long deadAtMs, String conversation, int messages, String text, String reason,
                       String document) {
    }

    /** A registered process; its last error masked in the masked view (it may quote a bot's answer). */
    public record Process(ProcessInfo info, long seenAgoMs, String lastError) {
    }

    /** Handovers and rules of one conversation (the conversation-control part of the admin operations). */
    public ConversationAdmin conversations() {
        return conversations;
    }

    public long nowMs() {
        return store.nowMs();
    }

    public StoreCounts counts() {
        return store.counts();
    }

    /** The store's description (never a password: RedisConnector.describe). */
    public String store() {
        return store.describe();
    }

    /** Open conversations in deadline order, one page. */
    public List<Open> open(Paging paging, AdminView view) {
        long now = store.nowMs();
        return store.pending(paging.reach()).stream().sorted(Comparator.comparingLong(PendingBatch::dueAtMs))
                .skip(paging.skip()).limit(paging.limit())
                .map(p -> new Open(view.conversationKey(p.conversation().key()), p.conversation().tenant(),
                        p.conversation().channel(), view.sender(p.conversation().conversation()), p.messages(), p.bytes(),
                        Math.max(0, now - p.firstMessageAtMs()), Math.max(0, now - p.lastMessageAtMs()), p.dueAtMs(),
                        p.dueAtMs() - now, p.releaseRule() == null ? null : p.releaseRule().wire(), p.typing()))
                .toList();
    }

    public List<InFlight> inflight(int limit, AdminView view) {
        long now = store.nowMs();
        return store.inflight(limit).stream().map((InflightBatch f) -> new InFlight(
                view.conversationKey(f.conversation().key()), f.conversation().tenant(), f.conversation().channel(),
                view.sender(f.conversation().conversation()), f.batchId(), f.attempt(), f.state().wire(),
                f.untilMs() - now, f.worker(), view.note(f.lastError()), f.waitingMessages())).toList();
    }

    public List<Dead> deadLetters(int limit, AdminView view) {
        return store.deadLetters(limit).stream().map(d -> dead(d, view, false)).toList();
    }

    /** One dead letter with its document, or null. */
    public Dead deadLetter(String batchId, AdminView view) {
        DeadLetter d = store.deadLetter(batchId);
        return d == null ? null : dead(d, view, true);
    }

    private static Dead dead(DeadLetter d, AdminView view, boolean withDocument) {
        JsonNode doc = d.tree();
        String document = !withDocument ? null : view.full() ? d.json() : view.batchDocument(doc).toString();
        return new Dead(d.batchId(), d.deadAtMs(), view.conversationKey(d.conversation().key()), d.size(),
                view.text(doc.path("text").asText()), view.note(d.reason()), document);
    }

    /** What a search found: batches with a bot or waiting, and dead letters, as the caller's view shows them. */
    public record Found(List<Hit> conversations, List<Dead> deadLetters) {
    }

    /** A conversation with an open ({@code batchId} null) or in-flight batch. */
    public record Hit(String key, String tenant, String channel, boolean inFlight, String batchId) {
    }

    /**
     * Finds a contact, conversation or batch: open and in-flight conversations whose key holds {@code text}, or that
     * received a message of that id, the batch in flight of that id ({@link io.rapidfire.core.StoreAdmin#find}), and
     * the dead letter of that id or those whose conversation's key holds it, among the oldest
     * {@value #SEARCHED_DEAD_LETTERS} (each partition's share).
     */
    public Found search(String text, int limit, AdminView view) {
        List<Hit> hits = store.find(text, limit).stream().map(f -> new Hit(view.conversationKey(f.conversation().key()),
                f.conversation().tenant(), f.conversation().channel(), f.inFlight(), f.batchId())).toList();
        return new Found(hits, deadLettersMatching(text, limit).stream().map(d -> dead(d, view, false)).toList());
    }

    /** How many of the oldest dead letters a search by conversation reads, over all partitions. */
    static final int SEARCHED_DEAD_LETTERS = 1_000;

    private List<DeadLetter> deadLettersMatching(String text, int limit) {
        DeadLetter exact = store.deadLetter(text);
        if (exact != null) {
            return List.of(exact);
        }
        int perPartition = Math.max(1, SEARCHED_DEAD_LETTERS / store.partitions());
        return store.deadLetters(perPartition).stream().filter(d -> d.conversation().key().contains(text))
                .limit(limit).toList();
    }

    /** Replays put back at most this many in one call (a deployment that had an outage may hold more: call again). */
    static final int MAX_REPLAY = 10_000;

    /**
     * Replays every dead letter, oldest first, page by page (at most {@value #MAX_REPLAY} in one call), or, with
     * {@code text}, those a search finds (its batch id, or part of its conversation's key); how many were put back.
     */
    public int replayAll(String text) {
        if (text != null) {
            int n = 0;
            for (DeadLetter d : deadLettersMatching(text, SEARCHED_DEAD_LETTERS)) {
                n += store.replayDeadLetter(d.batchId()) > 0 ? 1 : 0;
            }
            return n;
        }
        int n = 0;
        while (n < MAX_REPLAY) {
            List<DeadLetter> page = store.deadLetters(Math.max(1, 100 / store.partitions()));
            if (page.isEmpty()) {
                break;
            }
            int before = n;
            for (DeadLetter d : page) {
                n += store.replayDeadLetter(d.batchId()) > 0 ? 1 : 0;
            }
            if (n == before) {
                break; // nothing could be put back (gone meanwhile): do not spin
            }
        }
        return n;
    }

    /** Every dead letter's id, oldest first (for replaying or purging them all). */
    public List<String> deadLetterIds() {
        return store.deadLetters(100_000).stream().map(DeadLetter::batchId).toList();
    }

    /** @param all also those that stopped heartbeating within the last hour */
    public List<Process> processes(boolean all, AdminView view) {
        long now = store.nowMs();
        return (all ? registry.all() : registry.live()).stream()
                .map(p -> new Process(p, Math.max(0, now - p.lastSeenMs()), view.note(p.lastError()))).toList();
    }

    /** Runtime overrides by tenant ("*": every tenant), as stored. */
    public Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>();
        store.runtimePolicies().forEach((k, v) -> {
            if (!k.startsWith(io.rapidfire.core.ConversationPolicies.PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The release policies this process applies now: "*" the default, then each tenant that has its own. */
    public Map<String, Policy> inForce() {
        Policies now = policies.get();
        Map<String, Policy> out = new LinkedHashMap<>();
        out.put("*", now.defaults());
        new java.util.TreeMap<>(now.tenants()).forEach(out::put);
        return out;
    }

    /** Sets a runtime override (every process within a second); IllegalArgumentException says what is accepted. */
    public Policy setPolicy(String tenant, String spec, Policy base) {
        Policy p = TenantPolicies.apply(base, spec, tenant);
        store.setRuntimePolicy(tenant, spec);
        return p;
    }

    public boolean resetPolicy(String tenant) {
        return store.clearRuntimePolicy(tenant);
    }

    /** Releases a conversation's open batch now; false when it has none. */
    public boolean flush(ConversationRef c) {
        return store.flush(c);
    }

    /** Drops a conversation's open and in-flight messages; how many. */
    public long clear(ConversationRef c) {
        return store.clear(c);
    }

    /** Puts a dead letter's messages back to be delivered; how many (0: no such dead letter). */
    public int replay(String batchId) {
        return store.replayDeadLetter(batchId);
    }

    public boolean purge(String batchId) {
        return store.purgeDeadLetter(batchId);
    }

    /** The phone a lid is linked to (IdentityLinks), as the view shows it, or null. */
    public String linked(String tenant, String channel, String lid, AdminView view) {
        String phone = store.linked(tenant, SharedState.lidAlias(channel, lid));
        return phone == null ? null : view.sender(phone);
    }

    public boolean unlink(String tenant, String channel, String lid) {
        return store.unlink(tenant, SharedState.lidAlias(channel, lid));
    }

    /** The doctor's checks as JSON; set by the process when it runs on Redis (the doctor reads Redis). */
    public AdminService doctor(Supplier<JsonNode> runner) {
        this.doctor = runner;
        return this;
    }

    /** Runs the doctor (it sends a probe through the deployment); null on the in-memory store. */
    public JsonNode runDoctor() {
        Supplier<JsonNode> d = doctor;
        return d == null ? null : d.get();
    }
}

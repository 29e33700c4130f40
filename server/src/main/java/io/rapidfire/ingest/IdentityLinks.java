package io.rapidfire.ingest;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Mask;
import io.rapidfire.core.Message;
import io.rapidfire.core.SharedState;
import io.rapidfire.core.StoreAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One person, one conversation, while WhatsApp moves to lid ids (issue 24, point 5). A bridge that gives both the
 * lid and the phone (Baileys' {@code remoteJidAlt}, Evolution's {@code senderPn}, WAHA's NOWEB {@code _data.key})
 * makes the phone the conversation (SenderIdentity) and hands the pair over in {@link Inbound#links()}, never in
 * anything a caller can write (so the generic route cannot forge one). The pair is remembered in the store for
 * {@link #TTL_MS}, per tenant and channel; a later message or typing event that carries only the lid joins the
 * phone's conversation: one store read before the append, only for lid-only senders.
 *
 * <p>A live pair is never moved to another phone ({@link SharedState#link}): a second phone for a known lid is a
 * forgery or a number change, logged with what to do (DELETE /admin/links/{lid}). When a pair is new while a batch is
 * open under the lid, that batch is released at once, on its own: it is older than anything the phone's conversation
 * now gathers (which waits its quiet period), so the bot answers the two in the order they were written; joining
 * them would mean moving stored messages between partitions.
 */
final class IdentityLinks {
    private static final Logger log = LoggerFactory.getLogger(IdentityLinks.class);
    /** How long a pair is remembered after it was last seen: a month, renewed by messages that carry both. */
    static final long TTL_MS = 30L * 24 * 3600 * 1000;
    /** A pair written within this long is not written again: one store write per person per ten minutes. */
    private static final long REFRESH_MS = 10 * 60_000;
    private static final int RECENT_LIMIT = 10_000;
    private static final Pattern LID = Pattern.compile("lid:\\d{3,40}");
    /** A conversation whose person is a lid: the person's own, or theirs in a group ("group:<g>/lid:…"). */
    private static final Pattern LID_CONVERSATION = Pattern.compile("(group:[\\d-]{3,60}@g\\.us/)?(lid:\\d{3,40})");
    private static final Pattern PHONE = Pattern.compile("\\+\\d{5,20}");

    private final SharedState links;
    private final StoreAdmin admin;
    private final Map<String, Long> recentlyWritten = new ConcurrentHashMap<>();

    IdentityLinks(SharedState links, StoreAdmin admin) {
        this.links = links;
        this.admin = admin;
    }

    /** The messages, each under the person's phone where a pair for its lid is known. Reads only. */
    List<Message> resolve(List<Message> messages) {
        List<Message> out = null; // the list as given unless a message moves: the common case costs nothing
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            ConversationRef phone = resolve(m.conversation());
            if (phone != m.conversation()) {
                out = out != null ? out : new ArrayList<>(messages);
                out.set(i, moved(m, phone));
            }
        }
        return out != null ? out : messages;
    }

    /** Whether {@link #resolve(List)} would read the store for these messages (a lid-only sender among them). */
    boolean readsStore(List<Message> messages) {
        for (Message m : messages) {
            if (LID_CONVERSATION.matcher(m.conversation().conversation()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** {@code c}, or the phone's conversation when {@code c}'s person is a lid whose pair is known. */
    ConversationRef resolve(ConversationRef c) {
        var m = LID_CONVERSATION.matcher(c.conversation());
        if (!m.matches()) {
            return c;
        }
        String phone = links.linked(c.tenant(), SharedState.lidAlias(c.channel(), m.group(2)));
        String group = m.group(1) == null ? "" : m.group(1);
        return phone == null ? c : new ConversationRef(c.tenant(), c.channel(), group + phone);
    }

    /** Remembers the pairs a request carried; call once the request passed its checks, before its messages go in. */
    void learn(List<Inbound.Link> pairs) {
        for (Inbound.Link p : pairs) {
            ConversationRef at = p.phone();
            int slash = at.conversation().startsWith("group:") ? at.conversation().lastIndexOf('/') + 1 : 0;
            String phone = at.conversation().substring(slash);
            if (!LID.matcher(p.lid()).matches() || !PHONE.matcher(phone).matches()) {
                continue; // only a real lid and an E.164 phone make a pair
            }
            String key = at.tenant() + "\n" + SharedState.lidAlias(at.channel(), p.lid()) + "\n" + phone;
            long now = System.currentTimeMillis();
            Long seen = recentlyWritten.get(key);
            if (seen != null && now - seen < REFRESH_MS) {
                continue;
            }
            switch (links.link(at.tenant(), SharedState.lidAlias(at.channel(), p.lid()), phone, TTL_MS)) {
                // The person's batch open under the lid (in this chat) goes out first, on its own.
                case NEW -> admin.flush(new ConversationRef(at.tenant(), at.channel(),
                        at.conversation().substring(0, slash) + p.lid()));
                case KNOWN -> {
                }
                // Both ids masked (DESIGN invariant 12): GET /admin/links/<lid> with the admin token shows the pair.
                case TAKEN -> log.warn("A message names {} as the phone of {} (tenant {}), which is linked to another "
                        + "phone: the link is kept. If the person changed numbers: DELETE /admin/links/<lid>?tenant={}",
                        Mask.id(phone), Mask.id(p.lid()), at.tenant(), at.tenant());
            }
            if (recentlyWritten.size() >= RECENT_LIMIT) {
                recentlyWritten.clear();
            }
            recentlyWritten.put(key, now);
        }
    }

    private static Message moved(Message m, ConversationRef phone) {
        Map<String, Object> meta = new LinkedHashMap<>(m.metadata());
        meta.put(SenderIdentity.LID_KEY, m.conversation().conversation());
        return new Message(m.id(), phone, m.type(), m.text(), m.platformTimestampMs(), m.receivedAtMs(), m.attachments(),
                meta, m.trace());
    }
}

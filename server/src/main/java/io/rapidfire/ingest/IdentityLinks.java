package io.rapidfire.ingest;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.SharedState;
import io.rapidfire.core.StoreAdmin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One person, one conversation, while WhatsApp moves to lid ids (issue 24, point 5). A bridge that gives both the
 * lid and the phone (Baileys' {@code remoteJidAlt}, Evolution's {@code senderPn}, WAHA's NOWEB {@code _data.key})
 * makes the phone the conversation and leaves the lid in {@code metadata.lid} (SenderIdentity); this remembers the
 * pair in the store for {@link #TTL_MS}, per tenant, so a later message or typing event that carries only the lid
 * joins the phone's conversation: one store read before the append, only for lid-only senders.
 *
 * <p>When a pair is learned while a batch is open under the lid, that batch is released at once, on its own: it
 * is older than anything the phone's conversation now gathers (which waits its quiet period), so the bot answers
 * the two in the order they were written; joining them would mean moving stored messages between partitions.
 */
final class IdentityLinks {
    /** The metadata key holding the lid of a person whose conversation is their phone. */
    static final String LID = "lid";
    /** How long a pair is remembered after it was last seen: a month, renewed by every message that carries both. */
    static final long TTL_MS = 30L * 24 * 3600 * 1000;
    /** A pair written within this long is not written again: one store write per person per ten minutes. */
    private static final long REFRESH_MS = 10 * 60_000;
    private static final int RECENT_LIMIT = 10_000;

    private final SharedState links;
    private final StoreAdmin admin;
    private final Map<String, Long> recentlyWritten = new ConcurrentHashMap<>();

    IdentityLinks(SharedState links, StoreAdmin admin) {
        this.links = links;
        this.admin = admin;
    }

    /** The messages, each under the person's phone where it is known; pairs they carry are remembered. */
    List<Message> apply(List<Message> messages) {
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            ConversationRef c = m.conversation();
            Object lid = m.metadata().get(LID);
            if (lid != null) {
                learn(c, lid.toString());
                out.add(m);
            } else {
                ConversationRef phone = resolve(c);
                out.add(phone == c ? m : moved(m, phone));
            }
        }
        return out;
    }

    /** {@code c}, or the phone's conversation when {@code c} is a lid whose pair is known. */
    ConversationRef resolve(ConversationRef c) {
        if (!c.conversation().startsWith("lid:")) {
            return c;
        }
        String phone = links.linked(c.tenant(), c.conversation());
        return phone == null ? c : new ConversationRef(c.tenant(), c.channel(), phone);
    }

    private void learn(ConversationRef phone, String lid) {
        String key = phone.tenant() + "\n" + lid + "\n" + phone.conversation();
        long now = System.currentTimeMillis();
        Long at = recentlyWritten.get(key);
        if (at != null && now - at < REFRESH_MS) {
            return;
        }
        if (links.link(phone.tenant(), lid, phone.conversation(), TTL_MS)) {
            admin.flush(new ConversationRef(phone.tenant(), phone.channel(), lid));
        }
        if (recentlyWritten.size() >= RECENT_LIMIT) {
            recentlyWritten.clear();
        }
        recentlyWritten.put(key, now);
    }

    private static Message moved(Message m, ConversationRef phone) {
        Map<String, Object> meta = new LinkedHashMap<>(m.metadata());
        meta.put(LID, m.conversation().conversation());
        return new Message(m.id(), phone, m.type(), m.text(), m.platformTimestampMs(), m.receivedAtMs(), m.attachments(),
                meta);
    }
}

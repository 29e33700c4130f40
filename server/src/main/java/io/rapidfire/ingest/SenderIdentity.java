package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who a message is from, as one stable conversation id, or why it is ignored. Phone numbers become E.164
 * ({@code 79001234567@c.us}, {@code +7 900 123-45-67} and, with default region RU, {@code 89001234567} are all
 * {@code +79001234567}). WhatsApp ids that are not phone numbers keep their own identity ({@code lid:…});
 * groups are one conversation per participant when accepted. A sender that cannot be identified is an
 * error, never a shared key.
 */
public final class SenderIdentity {
    /** A conversation id, or the reason the message is ignored (then id is null). */
    /** The metadata key that tells the bot the lid of a person known by their phone (informational only). */
    static final String LID_KEY = "lid";

    public record Sender(String id, String ignored, String lid) {
        static Sender of(String id) {
            return new Sender(id, null, null);
        }

        static Sender ignore(String why) {
            return new Sender(null, why, null);
        }

        /** The message metadata that names the lid of a person known by their phone (empty when none). */
        Map<String, Object> lidMetadata(Map<String, Object> meta) {
            if (lid == null) {
                return meta;
            }
            Map<String, Object> m = new java.util.HashMap<>(meta);
            m.put(LID_KEY, lid);
            return m;
        }
    }

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Pattern JID_PHONE = Pattern.compile("(\\d{5,20})(?::\\d+)?@(c\\.us|s\\.whatsapp\\.net)");
    private static final Pattern LID = Pattern.compile("(\\d{3,40})(?::\\d+)?@lid");
    private static final Pattern GROUP = Pattern.compile("[\\d-]{3,60}@g\\.us");
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?[0-9(][0-9 ()\\-.]{2,30}");

    private final String region;
    private final boolean acceptGroups;
    private final boolean acceptStatus;

    public SenderIdentity(String region, boolean acceptGroups, boolean acceptStatus) {
        this.region = region;
        this.acceptGroups = acceptGroups;
        this.acceptStatus = acceptStatus;
    }

    /**
     * @param from        the chat: a phone, {@code …@c.us}, {@code …@s.whatsapp.net}, {@code …@lid}, {@code …@g.us},
     *                    {@code status@broadcast}
     * @param participant in a group, who wrote (else null)
     */
    public Sender whatsapp(String from, String participant, String field) {
        String f = from == null ? "" : from.trim();
        if (f.equals("status@broadcast")) {
            return acceptStatus ? Sender.of("status:" + person(participant, field + " participant"))
                    : Sender.ignore("status@broadcast update (RAPIDFIRE_ACCEPT_STATUS=false)");
        }
        if (GROUP.matcher(f).matches()) {
            if (!acceptGroups) {
                return Sender.ignore("group chat " + f + " (RAPIDFIRE_ACCEPT_GROUPS=false)");
            }
            if (participant == null || participant.isBlank()) {
                throw new BadRequest("field '" + field + "' is the group " + f + " but the message names no participant "
                        + "(author / key.participant): a group message is one conversation per participant");
            }
            return Sender.of("group:" + f + "/" + person(participant, "participant"));
        }
        return Sender.of(person(f, field));
    }

    /**
     * As {@link #whatsapp(String, String, String)}, with {@code alt} the other id the bridge gives for the same chat
     * (Baileys' remoteJidAlt, Evolution's senderPn) and {@code participantAlt} the other id of a group's participant
     * (participantAlt, participantPn): when one of a person's two ids is a lid and the other a phone, the conversation
     * is the phone's and {@link Sender#lid()} the lid, to be remembered (IdentityLinks).
     */
    public Sender whatsapp(String from, String alt, String participant, String participantAlt, String field) {
        Sender s = whatsapp(from, participant, field);
        if (s.id() == null || s.id().startsWith("status:")) {
            return s;
        }
        int slash = s.id().startsWith("group:") ? s.id().lastIndexOf('/') + 1 : 0;
        String other = alternative(slash > 0 ? participantAlt : alt, field + "Alt");
        if (other == null) {
            return s;
        }
        String self = s.id().substring(slash);
        if (self.startsWith("lid:") && !other.startsWith("lid:")) {
            return new Sender(s.id().substring(0, slash) + other, null, self);
        }
        if (!self.startsWith("lid:") && other.startsWith("lid:")) {
            return new Sender(s.id(), null, other);
        }
        return s;
    }

    /** The other id as a person, or null when absent or unreadable (it never refuses a message we can read). */
    private String alternative(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return person(raw, field);
        } catch (BadRequest e) {
            return null;
        }
    }

    /** As above, for a chat that is not a group. */
    public Sender whatsapp(String from, String alt, String participant, String field) {
        return whatsapp(from, alt, participant, null, field);
    }

    /** A person: E.164 phone, or {@code lid:<id>}. */
    private String person(String raw, String field) {
        String s = raw == null ? "" : raw.trim();
        var jid = JID_PHONE.matcher(s);
        if (jid.matches()) {
            return e164("+" + jid.group(1), field, raw);
        }
        var lid = LID.matcher(s);
        if (lid.matches()) {
            return "lid:" + lid.group(1);
        }
        if (PHONE_LIKE.matcher(s).matches()) {
            return e164(s, field, raw);
        }
        throw new BadRequest("cannot identify the sender from field '" + field + "' = \"" + Answers.clip(raw) + "\": expected a "
                + "phone number (+79001234567, 89001234567) or a WhatsApp id (79001234567@c.us, …@s.whatsapp.net, "
                + "…@lid, …@g.us)");
    }

    public String phone(String raw, String field) {
        return e164(raw, field, raw);
    }

    /**
     * Normalised numbers, because a person sends several messages in a row and libphonenumber's parse was
     * about a tenth of a webhook request's CPU in the benchmark profile. Bounded: cleared when full.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, String> normalised = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 100_000;

    private String e164(String s, String field, String raw) {
        String known = normalised.get(s);
        if (known != null) {
            return known;
        }
        String n = parseE164(s, field, raw);
        if (normalised.size() >= CACHE_LIMIT) {
            normalised.clear();
        }
        normalised.put(s, n);
        return n;
    }

    private String parseE164(String s, String field, String raw) {
        try {
            PhoneNumber n = PHONES.parse(s, region);
            if (!PHONES.isPossibleNumber(n)) {
                throw new BadRequest("field '" + field + "' = \"" + Answers.clip(raw) + "\" is not a possible phone number "
                        + "(default region " + region + ", RAPIDFIRE_DEFAULT_REGION)");
            }
            return PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new BadRequest("field '" + field + "' = \"" + Answers.clip(raw) + "\" is not a phone number: "
                    + e.getMessage() + " (default region " + region + ", RAPIDFIRE_DEFAULT_REGION)");
        }
    }
}

package io.rapidfire.core;

/**
 * Hides most of a person's identifier in logs and unauthenticated stats: "acme:whatsapp:+79001234567" becomes
 * "acme:whatsapp:+790******67". Enough to tell conversations apart while debugging, not to contact anyone.
 */
public final class Mask {
    private Mask() {
    }

    /**
     * What {@link #scrub} treats as a person's identifier in free text: a conversation key
     * ({@code tenant:channel:id}, tenant and channel starting with a letter), a number with a plus (+79001234567),
     * a WhatsApp id ({@code 79001234567@c.us}, {@code ...@s.whatsapp.net}, {@code ...@g.us}, {@code ...@lid}; not
     * {@code pid@host}),
     * a bare run of 10 to 15 digits (a number written without +), except 13-digit values in the range of
     * epoch milliseconds (timestamps), and a number written in groups ({@code +7 916 123-45-67},
     * {@code 8 (916) 123-45-67}, {@code (555) 123-4567}: 10 to 15 digits, or 7 to 15 after a +; a date such as
     * 2026-12-02 starts with four digits and is not one).
     */
    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9._-])((?:[A-Za-z][A-Za-z0-9._-]{0,63}:){2,})([^\\s,;:)\\]'\"]+)"
                    + "|(\\+\\d{6,15})(?!\\d)"
                    + "|(?<![\\d.])(\\d{5,20}@(?:c\\.us|s\\.whatsapp\\.net|g\\.us|lid|broadcast|newsletter)(?![A-Za-z0-9]))"
                    + "|(?<![\\d.A-Za-z])(\\d{10,15})(?![\\d])"
                    + "|(?<![\\w.+-])((?:\\+\\d{1,4}|\\d{1,3}|\\(\\d{2,5}\\))"
                    + "(?:[ \\u00A0-]?\\(\\d{2,5}\\)[ \\u00A0-]?\\d{2,7}|[ \\u00A0-]\\d{2,7})(?:[ \\u00A0-]\\d{2,7}){0,5})(?![\\w-]|\\.\\d)");

    /** What follows the status in a delivery error: the bot's own answer, which may echo the person's words. */
    private static final java.util.regex.Pattern BOT_ANSWER = java.util.regex.Pattern.compile(
            "(HTTP \\d{3} from \\S+): .*", java.util.regex.Pattern.DOTALL);

    /**
     * Free text written by the system (a delivery error) for someone who must not read the person's words (the
     * masked admin view, span attributes): numbers masked ({@link #scrub}), and the bot's answer quoted in it
     * ({@code HTTP 422 from <url>: <body>}) hidden, since a bot may echo what it was sent.
     */
    public static String note(String text) {
        return text == null ? null : BOT_ANSWER.matcher(scrub(text)).replaceAll("$1: [the bot's answer hidden]");
    }

    /**
     * Masks every identifier {@link #IDENTIFIER} finds in a log line, the same way {@link #conversation} and
     * {@link #id} do, so a number reaches no log even when a call site or an exception message carries it raw.
     * Idempotent: a masked value is left as it is.
     */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        java.util.regex.Matcher m = IDENTIFIER.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = m.group(1) + id(m.group(2));
            } else if (m.group(3) != null) {
                replacement = id(m.group(3));
            } else if (m.group(4) != null) {
                String v = m.group(4);
                int at = v.indexOf('@');
                replacement = id(v.substring(0, at)) + v.substring(at);
            } else if (m.group(6) != null) {
                String v = m.group(6);
                long digits = v.chars().filter(Character::isDigit).count();
                if (digits < (v.startsWith("+") ? 7 : 10) || digits > 15) {
                    continue; // too few digits for a number ("12 34 56"), or too many
                }
                replacement = maskDigits(v);
            } else {
                String v = m.group(5);
                if (v.length() == 13 && v.compareTo("1500000000000") >= 0 && v.compareTo("2500000000000") < 0) {
                    continue; // epoch milliseconds
                }
                replacement = id(v);
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(replacement);
            last = m.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /** A number written with spaces, dashes or brackets: its digits masked like {@link #id}, the punctuation kept. */
    private static String maskDigits(String v) {
        String digits = v.replaceAll("\\D", "");
        String masked = id(digits);
        StringBuilder out = new StringBuilder(v.length());
        int d = 0;
        for (char ch : v.toCharArray()) {
            out.append(Character.isDigit(ch) ? masked.charAt(d++) : ch);
        }
        return out.toString();
    }

    public static String id(String id) {
        if (id == null) {
            return null;
        }
        if (id.length() <= 6) {
            return "*".repeat(id.length());
        }
        int keepStart = Math.min(4, id.length() / 3);
        return id.substring(0, keepStart) + "*".repeat(id.length() - keepStart - 2) + id.substring(id.length() - 2);
    }

    /** Masks the conversation part of "tenant:channel:conversation", keeps tenant and channel. */
    public static String conversation(String key) {
        int a = key.indexOf(':');
        int b = a < 0 ? -1 : key.indexOf(':', a + 1);
        return b < 0 ? id(key) : key.substring(0, b + 1) + id(key.substring(b + 1));
    }

    /**
     * A URL with its user info hidden ({@code redis://***@host:6379/0}), whatever the password holds: the user info
     * runs to the LAST {@code @}, so a password with {@code /} or {@code @} in it (not
     * legal unencoded, but written, as are ? and #) is hidden whole. A path or query holding an {@code @} is hidden
     * up to it too: erring toward hiding.
     */
    public static String userInfo(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url.indexOf('@') >= 0 ? "***@" + url.substring(url.lastIndexOf('@') + 1) : url;
        }
        int start = scheme + 3;
        int at = url.lastIndexOf('@');
        return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
    }

    /**
     * A URL with what may be a credential hidden: the user and password ({@code https://***@host/}) and every query
     * value ({@code ?token=***}). For endpoints operators configure (the bot's RAPIDFIRE_SINK_URL) that may carry a
     * key, so the URL can appear in delivery errors, stats, logs and the config dump.
     */
    public static String url(String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        String s = userInfo(url);
        int q = s.indexOf('?');
        if (q < 0) {
            return s;
        }
        int hash = s.indexOf('#', q);
        String query = hash < 0 ? s.substring(q + 1) : s.substring(q + 1, hash);
        StringBuilder out = new StringBuilder(s.substring(0, q + 1));
        String[] pairs = query.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            out.append(i == 0 ? "" : "&").append(eq < 0 ? "***" : pairs[i].substring(0, eq + 1) + "***");
        }
        return out.toString();
    }
}

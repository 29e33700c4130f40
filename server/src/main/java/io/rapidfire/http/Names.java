package io.rapidfire.http;

import io.rapidfire.core.ConversationRef;

/** Names a caller gives in a body, path or query, checked the same on every route (webhooks and admin alike). */
public final class Names {
    private Names() {
    }

    /** A tenant: 400 naming where it came from and what is accepted. */
    public static String tenant(String value, String where) {
        String t = value.trim();
        if (!ConversationRef.isName(t)) {
            throw new BadRequest(where + " must be 1 to 64 characters of A-Z a-z 0-9 . _ -, got \""
                    + Answers.clip(t) + "\"");
        }
        return t;
    }
}

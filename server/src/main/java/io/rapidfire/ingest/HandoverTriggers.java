package io.rapidfire.ingest;

import io.rapidfire.core.HandoverBy;
import io.rapidfire.core.HandoverControl;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;
import io.rapidfire.core.ReleaseRules;

/**
 * What a webhook's content does to handovers, after its messages are stored: the business's own message starts one
 * (or moves its end RAPIDFIRE_HANDOVER_MS later) unless it holds a resume keyword, which ends it; a person's message
 * holding a handover keyword starts one. Keywords match whole words, as the flush keywords do.
 */
final class HandoverTriggers {
    private final HandoverControl control;
    private final HandoverSettings settings;

    HandoverTriggers(HandoverControl control, HandoverSettings settings) {
        this.control = control;
        this.settings = settings;
    }

    /** Whether this request starts or ends a handover (a store call): the business's message or a keyword. */
    boolean acts(Inbound in) {
        if (!in.business().isEmpty()) {
            return true;
        }
        if (!settings.askKeywords().isEmpty()) {
            for (Message m : in.messages()) {
                if (m.type() != MessageType.HANDOVER && ReleaseRules.holdsKeyword(m.text(), settings.askKeywords())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The person's handover keywords, before their messages are stored: the handover is then in force when the
     * message asking for a human is claimed, so its batch reaches the bot marked even when it goes out at once.
     */
    int beforeStoring(Inbound in) {
        int n = 0;
        if (!settings.askKeywords().isEmpty()) {
            for (Message m : in.messages()) {
                if (m.type() != MessageType.HANDOVER && ReleaseRules.holdsKeyword(m.text(), settings.askKeywords())) {
                    control.start(m.conversation(), settings.handoverMs(), HandoverBy.KEYWORD);
                    n++;
                }
            }
        }
        return n;
    }

    /** The business's own messages, once the request's messages are stored; how many changed or refreshed one. */
    int afterStoring(Inbound in) {
        int n = 0;
        for (Inbound.Business b : in.business()) {
            if (!settings.resumeKeywords().isEmpty() && ReleaseRules.holdsKeyword(b.text(), settings.resumeKeywords())) {
                control.end(b.conversation(), HandoverBy.KEYWORD);
                n++;
            } else if (settings.fromMe().handsOver(b.byApi())) {
                control.start(b.conversation(), settings.handoverMs(), HandoverBy.BUSINESS);
                n++;
            }
        }
        return n;
    }
}

package io.rapidfire.ingest;

import io.rapidfire.http.BadRequest;

import io.rapidfire.core.Edits;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.List;
import java.util.Map;

/**
 * Edits and deletions as the bridges report them, made into the messages {@link Edits} folds into a batch. Each
 * format finds the original's id and the new text its own way; the shape of the result is decided here once.
 */
final class Changes {
    private Changes() {
    }

    /**
     * {@code parsed} read as the new version of message {@code originalId}: its text (a caption edit is text too),
     * its sender and time; {@code editId} must differ from the original's id (de-duplication would drop it), so
     * bridges that repeat the original's id for an edit (Telegram) pass "edit:&lt;original&gt;:&lt;edit time&gt;".
     */
    static Message edit(Message parsed, String originalId, String editId) {
        return new Message(editId, parsed.conversation(), MessageType.EDIT, parsed.text(), parsed.platformTimestampMs(),
                parsed.receivedAtMs(), List.of(), Edits.naming(originalId, parsed.metadata()));
    }

    /** The person deleted message {@code originalId}; {@code id}: the deletion's own id, else "deletion:&lt;original&gt;". */
    static Message deletion(InboundContext ctx, String conv, String id, String originalId, Long ts,
                            Map<String, Object> meta, String at) {
        if (originalId == null || originalId.isBlank()) {
            throw new BadRequest("field '" + at + "' names no message: a deletion needs the id of the deleted message");
        }
        return OriginalFormat.build(ctx, conv, id == null || id.equals(originalId) ? "deletion:" + originalId : id,
                MessageType.DELETION, "", ts, List.of(), Edits.naming(originalId, meta), at);
    }
}

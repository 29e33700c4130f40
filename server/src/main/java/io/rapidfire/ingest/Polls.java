package io.rapidfire.ingest;

import io.rapidfire.core.Message;
import io.rapidfire.core.MessageType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A person's vote in a poll the business sent, as every bridge reports it: a message whose text names the chosen
 * options (what an unmodified AI worker reads), with the poll's id and the options' ids in metadata.
 */
final class Polls {
    private Polls() {
    }

    static Message answer(InboundContext ctx, String conv, String id, String pollId, List<String> chosen,
                          List<Object> optionIds, Long ts, String at) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("pollId", pollId);
        meta.put("pollOptions", optionIds);
        return OriginalFormat.build(ctx, conv, id, MessageType.TEXT, String.join(", ", chosen), ts, List.of(), meta, at);
    }
}

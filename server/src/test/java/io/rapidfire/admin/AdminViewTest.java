package io.rapidfire.admin;


import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one masking decision of the admin front ends, on its own: what the masked view keeps of a note and a document. */
@Tag("fast")
class AdminViewTest {
    @Test
    void aDeliveryErrorKeepsItsStatusAndHidesTheBotsAnswerWhichMayEchoThePerson() {
        String error = "HTTP 422 from http://bot.internal:3000/hook: {\"error\":\"cannot parse 'book me at 8, +7 916 123-45-67'\"}";
        String masked = AdminView.MASKED.note(error);
        assertThat(masked).isEqualTo("HTTP 422 from http://bot.internal:3000/hook: [the bot's answer hidden]");
        assertThat(AdminView.FULL.note(error)).isEqualTo(error);
        assertThat(AdminView.MASKED.note("refused: HTTP 400 from https://***@bot/x: nope")).endsWith("[the bot's answer hidden]");
        assertThat(AdminView.MASKED.note("no response from http://bot/x within 10000 ms")).contains("within 10000 ms");
    }

    @Test
    void aMaskedDocumentKeepsOnlyFieldsKnownToHoldNoPersonalData() throws Exception {
        JsonNode doc = MessageCodec.JSON.readTree("""
                {"batchId": "b-1", "tenant": "acme", "channel": "whatsapp", "conversation": "+2348031234567",
                 "text": "hello there", "size": 1, "deadLetterReason": "HTTP 500 from http://bot/x: hello there",
                 "messages": [{"id": "false_2348031234567@c.us_3EB0", "type": "text", "text": "hello there",
                   "receivedAt": 1, "metadata": {"pushName": "Ada"}, "attachments": [{"url": "https://cdn/x.jpg"}]}],
                 "somethingNew": "Ada Lovelace"}""");
        String masked = AdminView.MASKED.batchDocument(doc).toString();
        assertThat(masked).contains("\"batchId\":\"b-1\"").contains("\"tenant\":\"acme\"").contains("[11 characters hidden]")
                .contains("\"somethingNew\":\"[hidden]\"").contains("\"attachments\":\"1 hidden\"")
                .doesNotContain("hello there").doesNotContain("8031234567").doesNotContain("Ada").doesNotContain("cdn");
        assertThat(AdminView.FULL.batchDocument(doc)).isSameAs(doc);
    }
}

package io.rapidfire.ingest;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class SenderIdentityTest {
    private final SenderIdentity ru = new SenderIdentity("RU", false, false);
    private final SenderIdentity groups = new SenderIdentity("RU", true, false);

    @Test
    void theSameRussianNumberWrittenFiveWaysIsOneSender() {
        for (String s : new String[]{"79001234567@c.us", "+7 900 123-45-67", "89001234567", "79001234567",
                "79001234567:3@s.whatsapp.net"}) {
            assertThat(ru.whatsapp(s, null, "from").id()).as(s).isEqualTo("+79001234567");
        }
    }

    @Test
    void theDefaultRegionOnlyAppliesToNumbersWithoutACountryCode() {
        SenderIdentity us = new SenderIdentity("US", false, false);
        assertThat(us.whatsapp("(650) 253-0000", null, "from").id()).isEqualTo("+16502530000");
        assertThat(us.whatsapp("79001234567@c.us", null, "from").id()).isEqualTo("+79001234567");
    }

    @Test
    void lidSendersKeepTheirOwnIdentity() {
        assertThat(ru.whatsapp("123456789012345@lid", null, "from").id()).isEqualTo("lid:123456789012345");
    }

    @Test
    void groupsStatusAreIgnoredByDefaultAndAGroupIsOneConversationPerParticipantWhenAccepted() {
        assertThat(ru.whatsapp("120363041234567890@g.us", "79001234567@c.us", "from").ignored()).contains("group chat");
        assertThat(ru.whatsapp("status@broadcast", null, "from").ignored()).contains("status@broadcast");
        assertThat(groups.whatsapp("120363041234567890@g.us", "79001234567@c.us", "from").id())
                .isEqualTo("group:120363041234567890@g.us/+79001234567");
        assertThatThrownBy(() -> groups.whatsapp("120363041234567890@g.us", null, "from"))
                .hasMessageContaining("names no participant");
    }

    @Test
    void aSenderThatCannotBeIdentifiedIsRefusedNeverPooled() {
        assertThatThrownBy(() -> ru.whatsapp("someone", null, "from")).hasMessageContaining("cannot identify the sender");
        assertThatThrownBy(() -> ru.whatsapp("", null, "from")).hasMessageContaining("cannot identify the sender");
        assertThatThrownBy(() -> ru.whatsapp("+7 12", null, "from")).hasMessageContaining("not a possible phone number");
    }
}

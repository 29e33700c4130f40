package io.rapidfire.ops;

import io.rapidfire.core.Mask;

import io.rapidfire.testing.LogScan;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class MaskTest {
    @Test
    void everyShapeOfAPersonsIdentifierInALogLineIsMaskedTheSameWay() {
        assertThat(Mask.scrub("Batch 9f-1 of acme:whatsapp:+79001234567 attempt 2 failed"))
                .isEqualTo("Batch 9f-1 of acme:whatsapp:" + Mask.id("+79001234567") + " attempt 2 failed")
                .contains("acme:whatsapp:+790******67");
        assertThat(Mask.scrub("from +79001234567.")).isEqualTo("from +790******67.");
        assertThat(Mask.scrub("sender 79001234567@c.us left")).isEqualTo("sender 790******67@c.us left");
        assertThat(Mask.scrub("phone 89001234567 unknown")).isEqualTo("phone 890******67 unknown");
        assertThat(Mask.scrub("key rf:{p3}:c:default:telegram:123456789 gone")).doesNotContain("123456789");
        assertThat(Mask.scrub("group 120363025246125486@g.us")).doesNotContain("120363025246125486");
    }

    @Test
    void numbersWrittenInGroupsAreMaskedWhateverTheirPunctuation() {
        for (String number : new String[]{"+7 916 123-45-67", "8 (916) 123-45-67", "+1 (555) 123-4567", "(555) 123-4567",
                "+49 151 1234 5678", "8-916-123-45-67", "+7-916-1234567", "+7(916)123-45-67", "+7 (916) 1234567",
                "+7\u00A0916\u00A0123\u00A045\u00A067"}) {
            for (String end : new String[]{" now", ".", ", thanks", ""}) {
                String line = "call " + number + end;
                assertThat(Mask.scrub(line)).as(line).doesNotContain(number).startsWith("call ").endsWith(end);
            }
            String masked = Mask.scrub("call " + number + " now");
            assertThat(masked.replaceAll("\\D", "")).as(number + " keeps only a few digits").hasSizeLessThanOrEqualTo(6);
            assertThat(Mask.scrub(masked)).as("idempotent").isEqualTo(masked);
        }
    }

    @Test
    void aMessageIdThatEmbedsTheSenderIsMasked() {
        assertThat(Mask.scrub("id false_2348031234567@c.us_3EB0C767D71D")).doesNotContain("2348031234567");
        assertThat(Mask.scrub("id true_79001234567@c.us_ABCDEF")).doesNotContain("79001234567");
    }

    @Test
    void datesTimesAndVersionsWrittenInGroupsAreNotNumbers() {
        String line = "2026-12-02 01:31:02.123 started 12 34 56, build 1 2 3, took 250 ms, 3-5 messages, 16 KiB";
        assertThat(Mask.scrub(line)).isEqualTo(line);
    }

    @Test
    void theUserInfoOfAUrlIsHiddenWholeWhateverThePasswordHolds() {
        assertThat(Mask.userInfo("redis://:pa/ss@word@10.0.0.5:6379/0")).isEqualTo("redis://***@10.0.0.5:6379/0");
        assertThat(Mask.userInfo("rediss://user:p@ss@host:6380")).isEqualTo("rediss://***@host:6380");
        assertThat(Mask.userInfo("redis-sentinel://:s3cr3t@h1:26379,h2:26379/0?masterName=m"))
                .isEqualTo("redis-sentinel://***@h1:26379,h2:26379/0?masterName=m");
        assertThat(Mask.userInfo("redis://host:6379/0")).isEqualTo("redis://host:6379/0");
        assertThat(Mask.userInfo("redis://:s3cr?t#x@host:6379")).isEqualTo("redis://***@host:6379");
        assertThat(Mask.url("https://bot:k/ey@bot.example/hook?key=abc")).isEqualTo("https://***@bot.example/hook?key=***");
    }

    @Test
    void timesCountsAddressesAndAlreadyMaskedValuesAreLeftAlone() {
        String line = "deadline 1795868028755 in 5000 ms, redis 127.0.0.1:6379 db 0, http://localhost:3000/batches, "
                + "12:13:43.760, acme:whatsapp:+790******67, RAPIDFIRE_MAX_BODY_BYTES=1048576, worker standalone:4194303@vm";
        assertThat(Mask.scrub(line)).isEqualTo(line);
        String once = Mask.scrub("acme:whatsapp:+79001234567: and +4915112345678");
        assertThat(Mask.scrub(once)).isEqualTo(once);
    }

    @Test
    void theLogScanFindsAnUnmaskedNumberAndPassesMaskedOnesAndTheBatchPayload() {
        List<String> lines = List.of(
                "12:13:43.760 INFO  pid=1 [main] Worker - delivered conversation=default:whatsapp:+790******67",
                "12:13:43.761 WARN  pid=1 [main] Worker - Batch x of default:whatsapp:+79001234567 refused",
                "{\"batchId\":\"x\",\"phone\":\"+79001234567\"}",
                "12:13:43.762 INFO  pid=1 [main] ingest - dueAt=1795868028755");
        assertThat(LogScan.unmaskedNumbers(lines)).containsExactly(lines.get(1));
    }
}

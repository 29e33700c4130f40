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

package io.rapidfire.ops.doctor;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class RedisVersionTest {
    @Test
    void redisVersionsAreComparedAsNumbersNotAsText() {
        assertThat(RedisSettingsCheck.olderThan("6.0.16", 6, 2)).isTrue();
        assertThat(RedisSettingsCheck.olderThan("5.0.7", 6, 2)).isTrue();
        assertThat(RedisSettingsCheck.olderThan("6.2.14", 6, 2)).isFalse();
        assertThat(RedisSettingsCheck.olderThan("7.0.15", 6, 2)).isFalse();
        assertThat(RedisSettingsCheck.olderThan("10.0.1", 6, 2)).as("\"10.0.1\" < \"6.2\" as text").isFalse();
        assertThat(RedisSettingsCheck.olderThan("unstable-fork", 6, 2)).isFalse();
    }
}

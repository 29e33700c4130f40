package io.rapidfire.config;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class SettingsPageTest {
    @Test
    void docsSettingsMdIsExactlyWhatTheListOfSettingsGenerates() throws Exception {
        String generated = SettingsPage.markdown();
        Path fresh = Path.of("target", "settings.md");
        Files.createDirectories(fresh.getParent());
        Files.writeString(fresh, generated);
        Path doc = Path.of("..", "docs", "settings.md"); // tests run in server/
        assertThat(Files.exists(doc) ? Files.readString(doc) : "")
                .as("docs/settings.md is out of date with config/Setting.java: cp server/target/settings.md docs/settings.md "
                        + "(or ./rapidfire settings > docs/settings.md)")
                .isEqualTo(generated);
    }

    @Test
    void everySettingSaysWhatItAcceptsAndNumbersCarryTheirRange() {
        for (Setting s : Setting.values()) {
            assertThat(s.accepts()).as(s.name()).isNotBlank();
            assertThat(s.description()).as(s.name()).isNotBlank();
        }
        assertThat(Setting.RAPIDFIRE_PARTITIONS.accepts()).isEqualTo("1 to 4096");
        assertThat(Setting.RAPIDFIRE_PARTITIONS.defaultValue()).isEqualTo("16");
    }
}

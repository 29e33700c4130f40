package io.rapidfire.config;

import org.junit.jupiter.api.Tag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("fast")
class ConfigLoaderTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        RapidfireConfig c = ConfigLoader.load(Map.of(), Map.of());
        assertThat(c.defaultPolicy().quietMs()).isEqualTo(5_000);
        assertThat(c.defaultPolicy().maxWaitMs()).isEqualTo(30_000);
        assertThat(c.defaultPolicy().maxMessages()).isEqualTo(10);
        assertThat(c.defaultPolicy().maxBytes()).isEqualTo(16_384);
        assertThat(c.defaultPolicy().joiner()).isEqualTo(" ");
        assertThat(c.getInt(Setting.RAPIDFIRE_PORT)).isEqualTo(8080);
        assertThat(c.usesRedis()).isFalse();
    }

    @Test
    void aConfigFileIsOverriddenByTheEnvironmentWhichIsOverriddenByFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rapidfire.properties");
        Files.writeString(file, "RAPIDFIRE_QUIET_MS=1000\nRAPIDFIRE_MAX_WAIT_MS=2000\nRAPIDFIRE_MAX_MESSAGES=3\n");
        RapidfireConfig c = ConfigLoader.load(
                Map.of("RAPIDFIRE_CONFIG", file.toString(), "RAPIDFIRE_MAX_WAIT_MS", "4000", "RAPIDFIRE_MAX_MESSAGES", "4"),
                Map.of("RAPIDFIRE_MAX_MESSAGES", "5"));
        assertThat(c.getLong(Setting.RAPIDFIRE_QUIET_MS)).isEqualTo(1000);
        assertThat(c.getLong(Setting.RAPIDFIRE_MAX_WAIT_MS)).isEqualTo(4000);
        assertThat(c.getInt(Setting.RAPIDFIRE_MAX_MESSAGES)).isEqualTo(5);
        assertThat(c.sources().get(Setting.RAPIDFIRE_QUIET_MS)).isEqualTo("file " + file);
        assertThat(c.sources().get(Setting.RAPIDFIRE_MAX_WAIT_MS)).isEqualTo("environment");
        assertThat(c.sources().get(Setting.RAPIDFIRE_MAX_MESSAGES)).isEqualTo("flag");
    }

    @Test
    void mediaThatReleasesTheBatchAndMediaThatWaitsForItsWordsCannotBothBeOn() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_MEDIA_RELEASES_BATCH", "true",
                "RAPIDFIRE_MEDIA_GRACE_MS", "5000"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RAPIDFIRE_MEDIA_RELEASES_BATCH=true and RAPIDFIRE_MEDIA_GRACE_MS=5000 exclude each other");
        RapidfireConfig grace = ConfigLoader.load(Map.of("RAPIDFIRE_MEDIA_GRACE_MS", "5000",
                "RAPIDFIRE_CANCEL_KEYWORDS", "cancel|Отмена"), Map.of());
        assertThat(grace.defaultPolicy().mediaGraceMs()).isEqualTo(5_000);
        assertThat(grace.defaultPolicy().cancelKeywords()).containsExactly("cancel", "отмена");
    }

    @Test
    void everyInvalidValueIsReportedWithTheSettingTheValueItsSourceAndWhatIsAccepted() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_QUIET_MS", "soon", "RAPIDFIRE_SINK", "kafka"),
                Map.of("RAPIDFIRE_PORT", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RAPIDFIRE_QUIET_MS=\"soon\" (environment) is invalid: expected a whole number from 0 to 86400000")
                .hasMessageContaining("RAPIDFIRE_SINK=\"kafka\" (environment) is invalid: expected one of log, http, stream")
                .hasMessageContaining("RAPIDFIRE_PORT=\"70000\" (flag) is invalid: expected a whole number from 0 to 65535");
    }

    @Test
    void theTypingAdaptiveKeywordAndFirstMessageSettingsMakeTheDefaultPolicyAndBadOnesAreNamed() {
        RapidfireConfig c = ConfigLoader.load(Map.of("RAPIDFIRE_TYPING_GRACE_MS", "2000", "RAPIDFIRE_ADAPTIVE", "true",
                "RAPIDFIRE_FLUSH_KEYWORDS", "done| That's all ", "RAPIDFIRE_FIRST_MESSAGE_AT_ONCE", "true"), Map.of());
        assertThat(c.defaultPolicy().typing()).as("typing-aware release is on by default").isTrue();
        assertThat(c.defaultPolicy().typingGraceMs()).isEqualTo(2_000);
        assertThat(c.defaultPolicy().adaptive()).isTrue();
        assertThat(c.defaultPolicy().flushKeywords()).containsExactly("done", "that's all");
        assertThat(c.defaultPolicy().firstMessageAtOnce()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_TYPING_GRACE_MS", "90000",
                "RAPIDFIRE_FLUSH_KEYWORDS", "ok||done", "RAPIDFIRE_TYPING", "yes"), Map.of()))
                .hasMessageContaining("RAPIDFIRE_TYPING_GRACE_MS=\"90000\" (environment) is invalid: expected a whole number from 0 to 60000")
                .hasMessageContaining("RAPIDFIRE_FLUSH_KEYWORDS=\"ok||done\" (environment) is invalid: expected flushKeywords: each keyword is 1 to 64 characters")
                .hasMessageContaining("RAPIDFIRE_TYPING=\"yes\" (environment) is invalid: expected true or false");
    }

    @Test
    void unknownSettingsInAFileOrOnTheCommandLineAreErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.properties");
        Files.writeString(file, "RAPIDFIRE_QUIET=1000\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_CONFIG", file.toString()), Map.of()))
                .hasMessageContaining("unknown setting RAPIDFIRE_QUIET in " + file);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("QUIET", "1")))
                .hasMessageContaining("unknown setting QUIET on the command line");
        assertThat(ConfigLoader.unknownEnvironmentNames(Map.of("RAPIDFIRE_QUIETMS", "1", "PATH", "/bin")))
                .containsExactly("RAPIDFIRE_QUIETMS");
    }

    @Test
    void settingsThatNeedEachOtherAreChecked() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_SINK", "http"), Map.of()))
                .hasMessageContaining("RAPIDFIRE_SINK=http needs RAPIDFIRE_SINK_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_SINK", "stream"), Map.of()))
                .hasMessageContaining("needs REDIS_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_SINK_URL", "ftp://x"), Map.of()))
                .hasMessageContaining("expected an absolute http:// or https:// URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("REDIS_URL", "localhost:6379"), Map.of()))
                .hasMessageContaining("redis://[:password@]host:port/db");
    }

    @Test
    void anAdminTokenShorterThan16CharactersIsRefusedSayingHowToMakeOne() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_ADMIN_TOKEN", "s3cret"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("RAPIDFIRE_ADMIN_TOKEN")
                .hasMessageContaining("at least 16 characters").hasMessageContaining("openssl rand -hex 32")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_ADMIN_TOKEN", "0123456789abcdef",
                "RAPIDFIRE_ADMIN_READ_TOKEN", "short"), Map.of())).hasMessageContaining("RAPIDFIRE_ADMIN_READ_TOKEN");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_ADMIN_READ_TOKEN", "0123456789abcdef"), Map.of()))
                .hasMessageContaining("without RAPIDFIRE_ADMIN_TOKEN");
        assertThat(ConfigLoader.load(Map.of("RAPIDFIRE_ADMIN_TOKEN", "0123456789abcdef"), Map.of())
                .get(Setting.RAPIDFIRE_ADMIN_TOKEN)).hasSize(16);
    }

    @Test
    void proxyAndConnectionSettingsAreCheckedAndNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_TRUSTED_PROXIES", "10.0.0.1,nginx.local"), Map.of()))
                .hasMessageContaining("RAPIDFIRE_TRUSTED_PROXIES").hasMessageContaining("CIDR");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_FORWARDED_HEADER", "X-Client-IP"), Map.of()))
                .hasMessageContaining("one of X-Forwarded-For, Forwarded, X-Real-IP");
        RapidfireConfig c = ConfigLoader.load(Map.of("RAPIDFIRE_TRUSTED_PROXIES", "loopback,10.0.0.0/8,::1"), Map.of());
        assertThat(io.rapidfire.ingest.IngestSettings.from(c, true).edge().trustedProxies())
                .containsExactly("loopback", "10.0.0.0/8", "::1");
    }

    @Test
    void aRedisUrlThatCannotBeParsedIsNeverEchoedWithItsPassword() {
        for (String url : new String[]{"redis://:pa/ss@word@:notaport/0", "redis://user:s3cr3t@ho st:6379",
                "rediss://:s3cr3t@my host:6380/0"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("REDIS_URL", url), Map.of()))
                    .as(url).isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_URL")
                    .hasMessageNotContaining("s3cr3t").hasMessageNotContaining("pa/ss").hasMessageNotContaining("ss@word");
        }
    }

    @Test
    void tenantPoliciesOverrideTheDefaultPolicyPerTenant() {
        RapidfireConfig c = ConfigLoader.load(Map.of("RAPIDFIRE_TENANT_POLICIES",
                "acme=quietMs:2000,maxMessages:5;beta=quietMs:0"), Map.of("RAPIDFIRE_QUIET_MS", "3000"));
        assertThat(c.policies().forTenant("acme").quietMs()).isEqualTo(2_000);
        assertThat(c.policies().forTenant("acme").maxMessages()).isEqualTo(5);
        assertThat(c.policies().forTenant("acme").maxWaitMs()).isEqualTo(30_000);
        assertThat(c.policies().forTenant("beta").quietMs()).isZero();
        assertThat(c.policies().forTenant("other").quietMs()).isEqualTo(3_000);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("RAPIDFIRE_TENANT_POLICIES", "acme=quietMs:-5"), Map.of()))
                .hasMessageContaining("RAPIDFIRE_TENANT_POLICIES").hasMessageContaining("it must be a whole number from 0 to 86400000 (setting RAPIDFIRE_QUIET_MS");
    }

    @Test
    void theDumpMasksSecrets() {
        RapidfireConfig c = ConfigLoader.load(Map.of("REDIS_URL", "redis://:hunter2@10.0.0.5:6379/2",
                "RAPIDFIRE_SINK_SECRET", "topsecret", "RAPIDFIRE_SINK", "http",
                "RAPIDFIRE_SINK_URL", "https://bot:botpass@bot.example/hook?key=apikey1&v=2"), Map.of());
        String dump = c.dump();
        assertThat(dump).contains("REDIS_URL=redis://***@10.0.0.5:6379/2").contains("RAPIDFIRE_SINK_SECRET=***")
                .contains("RAPIDFIRE_SINK_URL=https://***@bot.example/hook?key=***&v=***")
                .doesNotContain("hunter2").doesNotContain("topsecret").doesNotContain("botpass").doesNotContain("apikey1");
        assertThat(SettingGroups.published(c).toString()).doesNotContain("botpass").doesNotContain("apikey1")
                .doesNotContain("hunter2").doesNotContain("topsecret");
    }
}

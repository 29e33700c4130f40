package io.rapidfire.processes;

import io.rapidfire.testing.Browser;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard of a real Rapidfire process on Redis, in a real headless Chromium: the registry's processes, the
 * doctor run from the page with each check and its fix, and a tenant's policy changed from the page and in force.
 */
@Tag("processes")
class DashboardProcessTest {
    private static final String TOKEN = "Dash-Token-9-0123456789";

    @Test
    void theProcessesTheDoctorAndPoliciesAreShownAndChangedFromThePage() throws Exception {
        try (RedisServer redis = RedisServer.start("--appendonly", "yes")) {
            int port = RedisServer.freePort();
            try (RapidfireProcess rf = RapidfireProcess.start(Map.of("REDIS_URL", redis.url(), "RAPIDFIRE_PORT",
                    Integer.toString(port), "RAPIDFIRE_ADMIN_TOKEN", TOKEN, "RAPIDFIRE_HEARTBEAT_MS", "500"))) {
                rf.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
                assertThat(rf.output()).contains("dashboard on /ui");
                ChromeDriver b = Browser.open(1280, 1000);
                try {
                    b.get("http://127.0.0.1:" + port + "/ui");
                    b.findElement(By.id("token")).sendKeys(TOKEN);
                    b.findElement(By.id("sign-in")).click();
                    await().atMost(Duration.ofSeconds(10)).until(() -> b.findElement(By.id("proc-rows")).getText()
                            .contains("standalone") && b.findElement(By.id("doctor-run")).isEnabled());
                    assertThat(b.findElement(By.id("proc-rows")).getText()).contains(Long.toString(rf.pid()));

                    b.findElement(By.id("doctor-run")).click();
                    await().atMost(Duration.ofSeconds(30)).until(() -> b.findElement(By.id("doctor-results")).getText()
                            .contains("probe"));
                    String report = b.findElement(By.id("doctor-results")).getText();
                    assertThat(report).contains("PASS redis").contains("PASS probe").contains("processes");

                    b.findElement(By.id("policy-tenant")).sendKeys("acme");
                    b.findElement(By.id("policy-spec")).sendKeys("quietMs:2000,maxMessages:5");
                    b.findElement(By.id("policy-set")).click();
                    await().atMost(Duration.ofSeconds(10)).until(() -> b.findElement(By.id("policy-rows")).getText()
                            .contains("quietMs:2000,maxMessages:5"));
                    b.findElement(By.cssSelector("a[href='#processes']")).click();
                    Browser.screenshot(b, "dashboard-processes");  // the policies below it on the same screen
                } finally {
                    b.quit();
                }
            }
        }
    }
}

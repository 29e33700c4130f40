package io.rapidfire.web;


import io.rapidfire.core.Batcher;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policies;
import io.rapidfire.core.Policy;
import io.rapidfire.ingest.IngestSettings;
import io.rapidfire.store.memory.MemoryBatchStore;
import io.rapidfire.testing.Browser;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium against a real server on a free port: a burst appears as one open
 * conversation and leaves as one batch; a dead letter is replayed from the page; a conversation is flushed from the
 * page; a missing or wrong token cannot act (the server refuses, not only the page); 100,000 open conversations.
 */
@Tag("processes")
class DashboardBrowserTest {
    private static final String TOKEN = "Admin-Token-42-0123456789";
    private static final String READ_TOKEN = "Read-Token-7-0123456789";
    private static final IngestSettings WITH_TOKEN = IngestSettings.defaults().withSecrets("", "", "", "", TOKEN)
            .withAdminReadToken(READ_TOKEN);
    /** No token configured: loopback reads the masked view and may act. */
    private static final IngestSettings NO_TOKEN = IngestSettings.defaults();

    private ChromeDriver browser;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private ChromeDriver open(IngestHarness h, boolean signIn) {
        browser = Browser.open(1280, 1000);
        browser.get(h.url("/ui"));
        if (signIn) {
            signIn(TOKEN);
        }
        return browser;
    }

    private void signIn(String token) {
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private List<WebElement> rows(String tbody, String attribute) {
        return browser.findElements(By.cssSelector("#" + tbody + " tr[" + attribute + "]"));
    }

    /** Waits on the page: a table redrawn while it is read is read again (a stale element is not a failure). */
    private static org.awaitility.core.ConditionFactory page() {
        return await().ignoreException(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /**
     * Clicks what {@code css} finds, again if the page redrew it in between (the tables are redrawn every 2 s, which
     * leaves Selenium holding a stale element; a person's click cannot fall between the two).
     */
    private void click(String css) {
        page().atMost(Duration.ofSeconds(10)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                .until(() -> {
                    browser.findElement(By.cssSelector(css)).click();
                    return true;
                });
    }

    private static void post(IngestHarness h, String id, String text) {
        assertThat(h.post("/webhook/whatsapp/batched", "{\"from\": \"79001234567@c.us\", \"message\": \"" + text
                + "\", \"messageId\": \"" + id + "\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aRapidFireBurstAppearsAsOneConversationAndLeavesAsOneReleasedBatch() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(3_000, 30_000, 10, 16_384, " "), true)) {
            open(h, true);
            page().atMost(Duration.ofSeconds(10)).until(() -> text("access").contains("signed in"));
            post(h, "b1", "Hi,");
            post(h, "b2", "book me");
            post(h, "b3", "for a haircut");
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").stream().anyMatch(r ->
                    r.getAttribute("data-key").equals("default:whatsapp:+79001234567")
                            && r.findElement(By.className("messages")).getText().equals("3")));
            Browser.screenshot(browser, "dashboard-conversations");
            page().atMost(Duration.ofSeconds(15)).until(() -> rows("conv-rows", "data-key").isEmpty());
            page().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() == 1);
            assertThat(h.batches().get(0).get("text").asText()).isEqualTo("Hi, book me for a haircut");
            page().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("reasons")).getText()
                    .contains("quiet 1"));
            browser.findElement(By.cssSelector("a[href='#flow']")).click();
            Browser.screenshot(browser, "dashboard-flow");
        }
    }

    @Test
    void batchesSupersededWhileWithTheBotShowAsARatePerMinute() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(3_000, 30_000, 10, 16_384, " "), true)) {
            open(h, true);
            page().atMost(Duration.ofSeconds(10)).until(() -> text("superseded-rate").equals("0.0"));
            io.rapidfire.core.ConversationRef c = new io.rapidfire.core.ConversationRef("default", "whatsapp",
                    "+79001234567");
            io.rapidfire.core.Batch b = io.rapidfire.core.Batch.of("0123456789abcdef0123-1", c, 1, java.util.List.of(
                    new io.rapidfire.core.StoredMessage(io.rapidfire.core.Message.text(c, "m1", "Hi", null), 1)),
                    io.rapidfire.core.ReleaseReason.QUIET, 1, " ");
            for (int i = 0; i < 3; i++) {
                h.metrics.superseded(b);
            }
            page().atMost(Duration.ofSeconds(10)).until(() -> Double.parseDouble(text("superseded-rate")) > 0);
        }
    }

    @Test
    void aDeadLetterIsShownAndReplayedFromThePageAndThenReachesTheBot() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(200, 30_000, 10, 16_384, " "), true)) {
            h.botStatus.set(422); // the bot refuses: a permanent refusal, dead letter at once
            open(h, true);
            post(h, "d1", "please answer");
            page().atMost(Duration.ofSeconds(15)).until(() -> rows("dl-rows", "data-id").size() == 1);
            page().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(rows("dl-rows", "data-id").get(0).getText())
                    .contains("default:whatsapp:+79001234567").contains("HTTP 422"));
            String batchId = rows("dl-rows", "data-id").get(0).getAttribute("data-id");
            assertThat(rows("dl-rows", "data-id").get(0).getText()).as("the dead letter shows its trace")
                    .contains("trace " + io.rapidfire.trace.Tracing.batchTraceId(batchId));
            click("#dl-rows tr[data-id] button.show");
            page().atMost(Duration.ofSeconds(5)).until(() -> text("dl-document").contains("please answer"));
            browser.findElement(By.cssSelector("a[href='#dead-letters']")).click();
            Browser.screenshot(browser, "dashboard-dead-letters");
            int before = h.bot.requests().size();
            h.botStatus.set(200);
            click("#dl-rows tr[data-id] button.replay");
            page().atMost(Duration.ofSeconds(15)).until(() -> rows("dl-rows", "data-id").isEmpty());
            page().atMost(Duration.ofSeconds(15)).until(() -> h.bot.requests().size() > before);
            assertThat(text("message")).contains("Replay: done");
            assertThat(h.store.counts().deadLetters()).isZero();
        }
    }

    @Test
    void aContactIsFoundFromThePageAndEveryDeadLetterIsReplayedAfterAConfirmation() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(200, 30_000, 10, 16_384, " "), true)) {
            h.botStatus.set(422); // dead letters at once
            open(h, true);
            post(h, "s1", "first");
            assertThat(h.post("/webhook/whatsapp/batched", "{\"from\": \"79005550000@c.us\", \"message\": \"second\", "
                    + "\"messageId\": \"s2\"}").statusCode()).isEqualTo(200);
            page().atMost(Duration.ofSeconds(15)).until(() -> h.store.counts().deadLetters() == 2);
            browser.findElement(By.id("search-q")).sendKeys("5550000");
            browser.findElement(By.id("search-go")).click();
            page().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(text("search-rows"))
                    .contains("default:whatsapp:+79005550000").contains("dead letter").doesNotContain("+79001234567"));
            browser.findElement(By.cssSelector("a[href='#search']")).click();
            Browser.screenshot(browser, "dashboard-search");
            int before = h.bot.requests().size();
            h.botStatus.set(200);
            browser.findElement(By.id("dl-replay-all")).click();
            browser.switchTo().alert().accept();
            page().atMost(Duration.ofSeconds(15)).until(() -> h.store.counts().deadLetters() == 0);
            page().atMost(Duration.ofSeconds(15)).until(() -> h.bot.requests().size() >= before + 2);
            assertThat(text("message")).contains("Replay all: done");
        }
    }

    @Test
    void aConversationFlushedFromThePageIsDeliveredAtOnce() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(600_000, 1_200_000, 100, 16_384, " "), true)) {
            open(h, true);
            post(h, "f1", "no hurry");
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").size() == 1
                    && browser.findElement(By.cssSelector("#conv-rows button.flush")).isEnabled());
            click("#conv-rows button.flush");
            page().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() == 1);
            assertThat(h.batches().get(0).get("reason").asText()).isEqualTo("flush");
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").isEmpty());
        }
    }

    @Test
    void aConversationHandedToAHumanFromThePageIsListedAndHandedBack() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(600_000, 1_200_000, 100, 16_384, " "), true)) {
            open(h, true);
            post(h, "h1", "I need a person");
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").size() == 1
                    && browser.findElement(By.cssSelector("#conv-rows button.handover")).isEnabled());
            click("#conv-rows button.handover");
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("ho-rows", "data-key").size() == 1);
            assertThat(text("ho-rows")).contains("+79001234567").contains("operator");
            browser.findElement(By.cssSelector("a[href='#handovers']")).click();
            Browser.screenshot(browser, "dashboard-handover");
            // The start is announced at once: the open message and the event go to the bot, marked.
            page().atMost(Duration.ofSeconds(10)).until(() -> h.batches().size() == 1);
            assertThat(h.batches().get(0).get("handover").asBoolean()).isTrue();
            click("#ho-rows button.handback");
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("ho-rows", "data-key").isEmpty());
            page().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text("ho-changes"))
                    .contains("+79001234567: back to the bot (operator)").contains("to a human (operator)"));
            assertThat(h.handovers.state(new io.rapidfire.core.ConversationRef("default", "whatsapp", "+79001234567")))
                    .isNull();
        }
    }

    @Test
    void aConversationGetsRulesOfItsOwnFromThePolicyFormAndLosesThemWithReset() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(600_000, 1_200_000, 100, 16_384, " "), false)) {
            open(h, true);
            page().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("policy-set")).isEnabled());
            browser.findElement(By.id("policy-tenant")).sendKeys("default:whatsapp:+79001234567");
            browser.findElement(By.id("policy-spec")).sendKeys("quietMs:120000");
            browser.findElement(By.id("policy-set")).click();
            page().atMost(Duration.ofSeconds(10)).until(() -> h.store.runtimePolicies()
                    .containsKey("conv:default:whatsapp:+79001234567"));
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("policy-rows", "data-key").size() == 1);
            assertThat(text("policy-rows")).contains("quietMs:120000");
            click("#policy-rows button.reset-conv");
            page().atMost(Duration.ofSeconds(10)).until(() -> h.store.runtimePolicies().isEmpty());
        }
    }

    @Test
    void aPersonStillTypingIsShownAsTypingAndThenAsStopped() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(600_000, 1_200_000, 100, 16_384, " "), false)) {
            open(h, true);
            assertThat(h.post("/webhook/web", "{\"sender\": \"visitor-7\", \"text\": \"hi\", \"id\": \"w1\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(h.post("/webhook/web", "{\"sender\": \"visitor-7\", \"typing\": true}").statusCode())
                    .isEqualTo(200);
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").size() == 1
                    && rows("conv-rows", "data-key").get(0).findElement(By.className("typing")).getText().equals("typing…"));
            assertThat(h.post("/webhook/web", "{\"sender\": \"visitor-7\", \"typing\": false}").statusCode())
                    .isEqualTo(200);
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").get(0)
                    .findElement(By.className("typing")).getText().equals("stopped"));
        }
    }

    @Test
    void withoutATokenThePageShowsNothingAndWithTheReadTokenOrAWrongOneTheServerRefusesItsActions() {
        try (IngestHarness h = new IngestHarness(WITH_TOKEN, new Policy(600_000, 1_200_000, 100, 16_384, " "), false)) {
            post(h, "r1", "still here");
            open(h, false);
            // The token closes reads too: before signing in the page shows no data, only what to do.
            page().atMost(Duration.ofSeconds(10)).until(() -> text("access").startsWith("no access"));
            assertThat(text("access")).contains("Authorization: Bearer");
            assertThat(rows("conv-rows", "data-key")).isEmpty();
            signIn(READ_TOKEN);
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").size() == 1);
            assertThat(text("access")).contains("read-only: numbers masked");
            page().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(rows("conv-rows", "data-key").get(0).getAttribute("data-key")).doesNotContain("79001234567")
                        .startsWith("default:whatsapp:+790");
                assertThat(browser.findElement(By.cssSelector("#conv-rows button.flush")).isEnabled()).isFalse();
            });
            // Not only a disabled button: the page's own request with the read token is refused by the server.
            Object status = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/admin/conversations/' + encodeURIComponent('default:whatsapp:+79001234567') + '/flush',"
                    + " {method: 'POST', headers: {Authorization: 'Bearer " + READ_TOKEN + "'}}).then(r => done(r.status));");
            assertThat(((Number) status).intValue()).isEqualTo(403);
            signIn(TOKEN.toLowerCase()); // another case: wrong
            page().atMost(Duration.ofSeconds(10)).until(() -> text("message").contains("does not match"));
            assertThat(browser.findElement(By.cssSelector("#doctor-run")).isEnabled()).isFalse();
            Object wrong = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/admin/conversations/' + encodeURIComponent('default:whatsapp:+79001234567') + '/flush',"
                    + " {method: 'POST', headers: {Authorization: 'Bearer " + TOKEN.toLowerCase() + "'}}).then(r => done(r.status));");
            assertThat(((Number) wrong).intValue()).isEqualTo(401);
            assertThat(h.store.counts().pending()).as("nothing was flushed").isEqualTo(1);
        }
    }

    @Test
    void thePageRendersOneHundredThousandOpenConversationsWithinTwoSeconds() {
        MemoryBatchStore store = MemoryBatchStore.builder().partitions(16).build();
        Batcher b = new Batcher(store, Policies.of(new Policy(600_000, 1_200_000, 100, 16_384, " ")));
        for (int i = 0; i < 100_000; i++) {
            b.append(Message.text(new ConversationRef("default", "web", "visitor-" + i), "m" + i, "hi", null));
        }
        try (IngestHarness h = new IngestHarness(store, NO_TOKEN, new Policy(600_000, 1_200_000, 100, 16_384, " "),
                false)) {
            browser = Browser.open(1280, 1000);
            long t0 = System.nanoTime();
            browser.get(h.url("/ui"));
            page().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> rows("conv-rows", "data-key").size() == 50);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("dashboard: first page of 100,000 open conversations rendered in " + ms + " ms");
            assertThat(text("conv-total")).startsWith("100000 open");
            assertThat(ms).as("rendered within 2 s").isLessThan(2_000);
            click("#conv-next");
            page().atMost(Duration.ofSeconds(5)).until(() -> text("conv-page").equals("page 2"));
        }
    }

    @Test
    void thePageFitsAPhoneScreen() {
        try (IngestHarness h = new IngestHarness(NO_TOKEN, new Policy(600_000, 1_200_000, 100, 16_384, " "), false)) {
            post(h, "p1", "from a phone");
            browser = Browser.open(390, 844);
            browser.get(h.url("/ui"));
            page().atMost(Duration.ofSeconds(10)).until(() -> rows("conv-rows", "data-key").size() == 1);
            // No token set: this (loopback, direct) caller may act, numbers masked; a masked key names nobody, so the
            // actions on a conversation wait for the admin token, and the others (dead letters) are offered.
            page().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(text("access")).contains("no admin token is set");
                assertThat(browser.findElement(By.cssSelector("#conv-rows button.flush")).isEnabled()).isFalse();
                assertThat(browser.findElement(By.id("dl-replay-all")).isEnabled()).isTrue();
            });
            Object overflow = browser.executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
            assertThat(overflow).as("no sideways scrolling of the page (tables scroll in their own box)").isEqualTo(false);
            Browser.screenshot(browser, "dashboard-phone");
        }
    }
}

package dev.bouncedoctor.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.security.ApiKeys;
import dev.bouncedoctor.security.Roles;
import dev.bouncedoctor.security.TestKey;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The seeds' stories, told through a real Chromium against the running service: a bounce flags a customer and
 * the invalid-email icon shows, a delivery clears it; the bounce list's "Mark email address as valid" for an
 * operator and not for a reader; the mail log's "show only undelivered" and date interval; a pasted bounce and a
 * dropped bounce mail answered with the same reason and steps as the API gives. Each story leaves a screenshot
 * of its page in docs/console for the README.
 */
@QuarkusTest
class ConsoleBrowserTest {

    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    ApiKeys keys;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startBrowser() {
        if (browser == null) {
            browser = new Browser(base.toString());
        }
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private String key(String... roles) {
        return keys.create("console-" + String.join("-", roles) + "-" + UUID.randomUUID().toString().substring(0, 8), List.of(roles)).key();
    }

    private static void ingest(Map<String, Object> event) {
        given().header("X-API-Key", TestKey.KEY).contentType("application/json").body(event).post("/v1/events").then().statusCode(201);
    }

    private static Map<String, Object> bounce(String recipient, String sender, Instant at) {
        return Map.of("recipient", recipient, "sender", sender, "status", "bounced", "smtpCode", 550, "enhancedCode", "5.1.1",
                "message", "550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown in virtual mailbox table", "occurredAt", at.toString());
    }

    private static Map<String, Object> delivered(String recipient, String sender, Instant at) {
        return Map.of("recipient", recipient, "sender", sender, "status", "delivered", "smtpCode", 250,
                "message", "250 2.0.0 OK queued as 4Bq", "occurredAt", at.toString());
    }

    private WebElement find(String css) {
        return browser.driver.findElement(By.cssSelector(css));
    }

    private List<WebElement> all(String css) {
        return browser.driver.findElements(By.cssSelector(css));
    }

    @Test
    void anAnonymousVisitorIsSentToSignInAndComesBackAfterwards() {
        browser.open("/console/sign-out");
        browser.driver.manage().deleteAllCookies();
        browser.open("/console/bounces");
        assertTrue(browser.path().startsWith("/console/sign-in"), browser.path());
        browser.screenshot("sign-in");
        find("#key").sendKeys("bdk_" + "x".repeat(43));
        browser.follow(find("form button[type=submit]"));
        assertTrue(browser.path().startsWith("/console/sign-in?failed=true"), "a wrong key is refused: " + browser.path());
        assertFalse(find("[role=alert]").getText().isBlank());

        browser.signIn(key(Roles.READ), "/console/bounces");
        assertEquals("/console/bounces", browser.path(), "back where the visitor was going");
        browser.follow(find("a[href='/console/sign-out']"));
        browser.open("/console/bounces");
        assertTrue(browser.path().startsWith("/console/sign-in"), "signed out: " + browser.path());
    }

    @Test
    void aBounceFlagsTheCustomerAndTheIconShowsItsReasonADeliveryClearsIt() {
        String customer = "jane-" + run + "@customer.example";
        String sender = "support-" + run + "@shop.example";
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
        ingest(bounce(customer, sender, at));
        String reason = given().header("X-API-Key", TestKey.KEY).get("/v1/recipients/" + customer).then().statusCode(200)
                .extract().path("recipient.lastReason");

        browser.signIn(key(Roles.READ), "/console/recipients?address=" + customer);
        WebElement icon = find(".address .invalid-icon");
        assertTrue(icon.isDisplayed());
        assertTrue(icon.getAttribute("title").contains(reason), "the tooltip names the reason " + reason + ": " + icon.getAttribute("title"));
        assertTrue(icon.getAttribute("aria-label").contains(reason), "and says it to a screen reader");
        assertTrue(find(".flag").getText().startsWith("Flagged invalid"));
        browser.screenshot("recipient-flagged");
        browser.onAPhone(() -> {
            assertTrue(find(".address .invalid-icon").isDisplayed(), "the icon shows on a phone too");
            assertTrue((Boolean) browser.driver.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"),
                    "nothing runs off a phone's screen: " + browser.driver.executeScript("return document.documentElement.scrollWidth"));
            browser.screenshot("recipient-phone");
        });

        ingest(delivered(customer, sender, at.plus(10, ChronoUnit.MINUTES)));
        browser.open("/console/recipients?address=" + customer);
        assertTrue(all(".address .invalid-icon").isEmpty(), "the delivery cleared the icon");
        assertEquals("Not flagged", find(".flag").getText());
        assertEquals(2, all("table.events tbody tr").size(), "both events are listed");
    }

    @Test
    void anOperatorMarksAnAddressAsValidOnTheBounceListAndAReaderCannot() {
        String listed = "gone-" + run + "@customer.example";
        String other = "away-" + run + "@customer.example";
        String sender = "billing-" + run + "@shop.example";
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(2, ChronoUnit.HOURS);
        ingest(bounce(listed, sender, at));
        ingest(bounce(other, sender, at));
        assertTrue(given().header("X-API-Key", TestKey.KEY).get("/v1/recipients/" + listed).then().extract().<Boolean>path("recipient.suppressed"),
                "the story needs an address the rules put on the bounce list");

        String reader = key(Roles.READ);
        browser.signIn(reader, "/console/bounces?address=" + run);
        assertEquals(2, all("table.bounces tbody tr").size());
        assertTrue(all("a[href^='/console/bounces/mark-valid']").isEmpty(), "a reader is not offered the action");
        browser.open("/console/bounces/mark-valid?address=" + listed);
        assertEquals("Not allowed", find("h1").getText(), "and is refused it when going there directly");
        assertTrue(find("[role=alert]").getText().contains(Roles.OPERATOR));

        String operatorKey = keys.create("operator-" + run, List.of(Roles.READ, Roles.OPERATOR)).key();
        browser.signIn(operatorKey, "/console/bounces?address=" + run);
        browser.screenshot("bounce-list");
        browser.follow(find("tr[data-address='" + listed + "'] a[href^='/console/bounces/mark-valid']"));
        assertTrue(find("h1").getText().contains("Mark email address as valid"));
        browser.screenshot("mark-as-valid");
        browser.follow(find("#confirm"));

        assertTrue(browser.path().startsWith("/console/recipients"), browser.path());
        assertTrue(find("[role=status]").getText().contains("Marked as valid"));
        assertTrue(find(".removals").getText().contains("operator-" + run), "the history names who removed it");
        assertEquals("Not on the bounce list", find(".suppression").getText());
        assertFalse(given().header("X-API-Key", TestKey.KEY).get("/v1/recipients/" + listed).then().extract().<Boolean>path("recipient.suppressed"));

        browser.open("/console/bounces?address=" + run);
        assertEquals(1, all("table.bounces tbody tr").size(), "only the other address is left");
        String csvLink = browser.driver.findElement(By.partialLinkText("Export as CSV")).getAttribute("href");
        String csv = given().cookie("bd-console", browser.driver.manage().getCookieNamed("bd-console").getValue())
                .get(csvLink.substring(csvLink.indexOf("/console/"))).then().statusCode(200).contentType("text/csv").extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("address,reason,since,consecutiveFailures,lastStatus,lastEventAt", lines.get(0));
        assertEquals(2, lines.size(), "the header and the one address still listed: " + csv);
        assertTrue(lines.get(1).startsWith(other + ","), lines.get(1));
    }

    @Test
    void theMailLogShowsOnlyUndeliveredMailWithinADateInterval() {
        String sender = "news-" + run + "@shop.example";
        Instant day1 = Instant.parse("2026-03-10T09:00:00Z");
        Instant day2 = Instant.parse("2026-03-12T15:00:00Z");
        ingest(delivered("ann-" + run + "@customer.example", sender, day1));
        ingest(bounce("bob-" + run + "@customer.example", sender, day1.plus(1, ChronoUnit.HOURS)));
        ingest(bounce("cat-" + run + "@customer.example", sender, day2));

        browser.signIn(key(Roles.READ), "/console/log?sender=" + sender);
        assertEquals(3, all("tr.event").size());
        find("#undelivered").click();
        browser.follow(find(".filters button[type=submit]"));
        assertEquals(2, all("tr.event").size(), "only the undelivered");
        assertEquals(2, all("tr.event.undelivered").size());
        browser.driver.executeScript("document.getElementById('from').value='2026-03-12'; document.getElementById('to').value='2026-03-12';");
        browser.follow(find(".filters button[type=submit]"));
        List<WebElement> rows = all("tr.event");
        assertEquals(1, rows.size(), "one undelivered mail on 12 March");
        assertTrue(rows.get(0).getText().contains("cat-" + run));
        assertTrue(browser.path().contains("undelivered=true") && browser.path().contains("from=2026-03-12"), "the filters are in the address, to share: " + browser.path());
        browser.screenshot("mail-log");

        browser.follow(rows.get(0).findElement(By.linkText("Show details")));
        assertTrue(find("h1").getText().startsWith("Event "));
        assertFalse(find(".report .reason").getText().isBlank(), "the event's diagnosis is shown");
        browser.screenshot("event");
    }

    @Test
    void aPastedBounceGetsTheAPIsReasonAndStepsWithTheEvidenceMarked() {
        String text = "550 5.1.1 <nobody-" + run + "@customer.example>: Recipient address rejected: User unknown in virtual mailbox table";
        JsonPath api = given().header("X-API-Key", TestKey.KEY).contentType("application/json").body(Map.of("message", text))
                .post("/v1/diagnoses").then().statusCode(200).extract().jsonPath();

        browser.signIn(key(Roles.DIAGNOSE), "/console/diagnose");
        find("#message").sendKeys(text);
        browser.follow(find("form.stack button[type=submit]"));
        assertEquals(api.getString("diagnoses[0].reason"), find(".report .reason").getText());
        List<String> steps = all(".report .steps li").stream().map(WebElement::getText).toList();
        assertEquals(api.getList("diagnoses[0].steps"), steps);
        assertFalse(steps.isEmpty());
        String evidence = api.getString("diagnoses[0].evidence");
        if (evidence != null && text.toLowerCase().contains(evidence.toLowerCase())) {
            assertEquals(evidence.toLowerCase(), find(".report mark").getText().toLowerCase(), "the evidence is marked in the text");
        }
        browser.screenshot("diagnose");
    }

    @Test
    void aDroppedBounceMailIsAnsweredPerRecipientAsByTheAPI() throws Exception {
        Path mail = Path.of("src/test/resources/corpus/sisimai/maildir/bsd/lhost-postfix-01.eml").toAbsolutePath();
        JsonPath api = given().header("X-API-Key", TestKey.KEY).contentType("message/rfc822").body(java.nio.file.Files.readAllBytes(mail))
                .post("/v1/diagnoses").then().statusCode(200).extract().jsonPath();

        browser.signIn(key(Roles.DIAGNOSE), "/console/diagnose");
        find("#mail").sendKeys(mail.toString());
        browser.follow(find("form.stack button[type=submit]"));
        List<String> reasons = all(".report .reason").stream().map(WebElement::getText).toList();
        assertEquals(api.getList("reports.diagnoses[0].reason"), reasons);
        assertFalse(reasons.isEmpty());
    }

    @Test
    void theOtherPagesRenderForTheirRoles() {
        String sender = "shop-" + run + "@shop.example";
        ingest(bounce("dan-" + run + "@customer.example", sender, Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)));
        browser.signIn(key(Roles.READ, Roles.DIAGNOSE, Roles.OPERATOR, Roles.RULE_AUTHOR), "/console");
        assertEquals(6, all(".cards li").size());
        browser.screenshot("home");
        browser.open("/console/senders?sender=" + sender);
        assertTrue(find("#flagged").getText().startsWith("1 flagged recipient"), find("#flagged").getText());
        assertEquals("dan-" + run + "@customer.example", find("table.flagged tbody td a").getText());
        browser.screenshot("sender");
        browser.open("/console/rules");
        assertFalse(find(".version").getText().isBlank(), "the serving version");
        assertTrue(find("#try").isDisplayed(), "a rule author may try a change");
        browser.screenshot("rules");
    }

    @Test
    void aRuleAuthorUploadsAFileAndSeesItsProblemsAndItsEffect() throws Exception {
        browser.signIn(key(Roles.READ, Roles.RULE_AUTHOR), "/console/rules");
        Path broken = java.nio.file.Files.createTempFile("console-", ".drl");
        java.nio.file.Files.writeString(broken, "package bouncedoctor.classify;\n\nrule \"half a rule\"\nwhen\n    DeliveryFact(\nthen\nend\n");
        find("#files").sendKeys(broken.toString());
        find("#folder").sendKeys("classify");
        browser.follow(find("button[value=validate]"));
        assertTrue(find("#checked").getText().contains("refused"), find("#checked").getText());
        String problem = find(".checked .problems li").getText();
        assertTrue(problem.startsWith("classify/" + broken.getFileName() + ":"), "the problem names the file and line: " + problem);

        Path harmless = java.nio.file.Files.createTempFile("console-", ".drl");
        java.nio.file.Files.writeString(harmless, "package bouncedoctor.classify;\n");
        find("#files").sendKeys(harmless.toString());
        find("#folder").sendKeys("classify");
        browser.follow(find("button[value=preview]"));
        assertTrue(find("#checked").getText().contains("it compiles"), find("#checked").getText());
        assertTrue(find(".checked").getText().contains("Scenarios: 0 of "), "an empty file changes no scenario: " + find(".checked").getText());
        browser.screenshot("rules-preview");

        // A table kept as an Excel workbook goes up as it is; its mistake is named at the workbook's row.
        String table;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("tables/overfull-decision-table.csv")) {
            table = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("suspend, mailbox is parked", "suspendd, mailbox is parked");
        }
        Path workbook = java.nio.file.Files.createTempFile("console-", ".xlsx");
        java.nio.file.Files.write(workbook, dev.bouncedoctor.testing.Workbooks.of("overfull", table));
        find("#files").sendKeys(workbook.toString());
        find("#folder").sendKeys("classify");
        browser.follow(find("button[value=validate]"));
        assertTrue(find("#checked").getText().contains("refused"), find("#checked").getText());
        String cell = find(".checked .problems li").getText();
        assertTrue(cell.startsWith("classify/" + workbook.getFileName() + ":10:") && cell.contains("did you mean 'suspend'"), cell);
    }

    @Test
    void theConsoleIsUsableByKeyboard() {
        browser.signIn(key(Roles.READ), "/console/log");
        browser.driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        WebElement first = browser.driver.switchTo().activeElement();
        assertEquals("Skip to the content", first.getText(), "the first Tab offers to skip the navigation");
        first.sendKeys(org.openqa.selenium.Keys.ENTER);  // an in-page link: focus moves, no page loads
        assertEquals("main", browser.driver.switchTo().activeElement().getAttribute("id"));
        for (WebElement input : all("main input:not([type=hidden]), main textarea")) {
            String id = input.getAttribute("id");
            assertEquals(1, all("label[for='" + id + "']").size(), "every field has its label: " + id);
        }
    }
}

package dev.bouncedoctor.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.security.ApiKeys;
import dev.bouncedoctor.security.Roles;
import dev.bouncedoctor.security.TestKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's pages over HTTP, signed in as a browser is: paging keeps the filters, the bounce list's filters and
 * export, and what a mistyped filter or form gets: the same page again with a 400 that names the field and says
 * what to type.
 */
@QuarkusTest
@TestKey.OwnCredentials
class ConsolePagesTest {

    @Inject
    ApiKeys keys;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private String session;

    @BeforeEach
    void signIn() {
        String key = keys.create("pages-" + run, List.of(Roles.READ, Roles.DIAGNOSE)).key();
        session = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("name", "api-key").formParam("key", key).post("/console/j_security_check").getCookie("bd-console");
    }

    private Response page(String path) {
        return given().redirects().follow(false).cookie("bd-console", session).get(path);
    }

    private static void ingest(Map<String, Object> event) {
        given().header("X-API-Key", TestKey.KEY).contentType("application/json").body(event).post("/v1/events").then().statusCode(201);
    }

    private static int rows(String html, String cssClass) {
        Matcher m = Pattern.compile("<tr class=\"" + cssClass + "[ \"]").matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theMailLogPagesThroughKeepingItsFilters() {
        String sender = "pager-" + run + "@shop.example";
        Instant at = Instant.parse("2026-05-01T08:00:00Z");
        for (int i = 0; i < MailLogPage.PAGE_SIZE + 5; i++) {
            ingest(Map.of("recipient", "r" + i + "-" + run + "@customer.example", "sender", sender, "status", "delivered", "occurredAt", at.plusSeconds(i).toString()));
        }
        String first = page("/console/log?sender=" + sender).then().statusCode(200).extract().asString();
        assertEquals(MailLogPage.PAGE_SIZE, rows(first, "event"));
        assertTrue(first.contains("of " + (MailLogPage.PAGE_SIZE + 5)), "the count of all matching events");
        Matcher older = Pattern.compile("href=\"(/console/log\\?[^\"]*page=1)\" rel=\"next\"").matcher(first);
        assertTrue(older.find(), "a link to the older events");
        String link = older.group(1).replace("&amp;", "&");
        assertTrue(link.contains("sender="), "the link keeps the filter: " + link);
        // As the browser follows it: the link is already encoded.
        String second = given().urlEncodingEnabled(false).redirects().follow(false).cookie("bd-console", session).get(link).then().statusCode(200).extract().asString();
        assertEquals(5, rows(second, "event"));
        assertTrue(second.contains("rel=\"prev\""));
    }

    @Test
    void aMistypedDayIsA400PageNamingTheField() {
        page("/console/log?from=12/03/2026").then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("<strong>from</strong>: give a day as YYYY-MM-DD"));
        page("/console/log?from=2026-03-12&to=2026-03-01").then().statusCode(400).body(containsString("<strong>from</strong>"));
        page("/console/log?recipient=not-an-address").then().statusCode(400).body(containsString("<strong>recipient</strong>"));
    }

    @Test
    void aFormWithNothingToDiagnoseOrAMistypedCodeIsA400PageNamingTheField() {
        given().redirects().follow(false).cookie("bd-console", session).header("Sec-Fetch-Site", "same-origin")
                .multiPart("message", "").post("/console/diagnose")
                .then().statusCode(400).body(containsString("<strong>message</strong>: paste the bounce text"));
        given().redirects().follow(false).cookie("bd-console", session).header("Sec-Fetch-Site", "same-origin")
                .multiPart("smtpCode", "55O").post("/console/diagnose")
                .then().statusCode(400).body(containsString("<strong>smtpCode</strong>: give the reply code as three digits"));
    }

    @Test
    void theBounceListFiltersByReasonAndAddressAndExportsTheSameRows() {
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String address = "gone" + i + "-" + run + "@customer.example";
            listed.add(address);
            ingest(Map.of("recipient", address, "status", "bounced", "smtpCode", 550, "enhancedCode", "5.1.1",
                    "message", "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown in local recipient table"));
        }
        String reason = given().header("X-API-Key", TestKey.KEY).get("/v1/recipients/" + listed.get(0)).then().extract().path("recipient.suppressedReason");
        String html = page("/console/bounces?address=" + run + "&reason=" + reason).then().statusCode(200).extract().asString();
        listed.forEach(a -> assertTrue(html.contains("data-address=\"" + a + "\""), a));
        page("/console/bounces?address=" + run + "&reason=blocked").then().statusCode(200).body(containsString("No address on the list matches."));
        String csv = page("/console/bounces/export?address=" + run).then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("bounce-list.csv")).extract().asString();
        assertEquals(4, csv.lines().count(), "a header and the three addresses: " + csv);
    }

    @Test
    void anAddressTheLogHasNeverSeenIsA404PageSayingSo() {
        page("/console/recipients?address=never-" + run + "@customer.example").then().statusCode(404)
                .body(containsString("the mail log has no event for never-" + run + "@customer.example"));
        page("/console/log/999999999").then().statusCode(404).body(containsString("No such event"));
    }
}

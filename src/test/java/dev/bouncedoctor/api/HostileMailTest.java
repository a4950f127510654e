package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Raw mails built to make the parser work hard: each is answered (a report or a 4xx problem), never a 500, and in
 * a time proportional to its size. The bounds are generous (seconds where the work takes milliseconds): they catch
 * quadratic work, which took seconds to minutes on these mails, not a slow machine.
 */
@QuarkusTest
class HostileMailTest {

    private static final long BOUND_MS = 10_000;

    private static byte[] mail(String headers, String body) {
        return ("From: MAILER-DAEMON@mx.example.net\r\nTo: sender@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
                + headers + "\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static io.restassured.response.ValidatableResponse post(byte[] mail) {
        return given().header("Content-Type", "message/rfc822").body(mail).post("/v1/diagnoses").then()
                .statusCode(lessThan(500)).time(lessThan(BOUND_MS));
    }

    @Test
    void aLongTextWithoutAnAddress() {
        post(mail("", "The mail could not be delivered. " + "abcdefghij".repeat(100_000)));
    }

    @Test
    void aRunOfDotsBeforeAnAtSign() {
        post(mail("", "Delivery failed for\n" + "a.".repeat(5_000) + "@\n" + "@" + "a.".repeat(5_000) + "\n"));
    }

    @Test
    void aReturnedToWhoseMailboxIsARunOfDots() {
        // The plain-text reader looks for the display names of a returned To of several mailboxes in the text.
        post(mail("", "The mail could not be delivered.\nBob Smith is gone.\n\n------- Returned Message --------\n"
                + "To: Bob Smith <bob@example.org>, Carl <carl@example.org>, Zed <" + "a.".repeat(9_000) + "a>, \"" + "x".repeat(9_000) + "\n"));
    }

    @Test
    void aQuotaWarningOfALongText() {
        post(("From: Mail Delivery System <Mailer-Daemon@store.example>\r\nDelivered-To: a@store.example\r\nSubject: Your mailbox\r\n\r\n"
                + "mailbox " + "x ".repeat(200_000) + "full\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void htmlOfUnclosedStyleTags() {
        String html = "<style a>".repeat(60_000);
        post(mail("Content-Type: text/html; charset=utf-8\r\n", html));
    }

    @Test
    void htmlOfAngleQuotes() {
        post(mail("Content-Type: text/html; charset=utf-8\r\n", "‹".repeat(50_000) + " <p <br <div " + "<".repeat(50_000)));
    }

    @Test
    void multipartsNestedDeeperThanAnyBounceIs400() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            body.append("--b").append(i).append("\r\nContent-Type: multipart/mixed; boundary=\"b").append(i + 1).append("\"\r\n\r\n");
        }
        given().header("Content-Type", "message/rfc822").body(mail("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n", body.toString()))
                .post("/v1/diagnoses").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("deep")).time(lessThan(BOUND_MS));
    }

    @Test
    void tenThousandFailedRecipientsAreCappedAndTheAnswerSaysSo() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            list.append(i == 0 ? "" : ", ").append("user").append(i).append("@example.org");
        }
        post(mail("X-Failed-Recipients: " + list + "\r\n", "This message was created automatically by mail delivery software.\n\n"
                + "A message that you sent could not be delivered to one or more of its recipients.\n"))
                .statusCode(200)
                .body("reports.size()", equalTo(100))
                .body("detail", containsString("10000"));
    }
}

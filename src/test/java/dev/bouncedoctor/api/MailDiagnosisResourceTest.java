package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** POST /v1/diagnoses with a raw mail (message/rfc822), as a mail pipeline sends it. */
@QuarkusTest
class MailDiagnosisResourceTest {

    private static final String RFC822 = "message/rfc822";
    private static final Path CORPUS = Path.of("src/test/resources/corpus/sisimai/maildir/bsd");

    @Test
    void answersOneReportPerFailedRecipient() throws IOException {
        given().contentType(RFC822).body(Files.readAllBytes(CORPUS.resolve("lhost-postfix-13.eml")))
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .body("reports", hasSize(2))
                .body("reports[1].fact.recipient", equalTo("noraneko@example.jp"))
                .body("reports[1].fact.enhancedCode", equalTo("5.2.2"))
                .body("reports[1].fact.smtpCode", equalTo(550))
                .body("reports[1].fact.status", equalTo("bounced"))
                .body("reports[1].diagnoses[0].reason", notNullValue())
                .body("reports[1].ruleSet.version", notNullValue())
                .body("detail", equalTo(null));
    }

    @Test
    void saysSoWhenTheMailIsNotABounce() {
        given().contentType(RFC822).body("From: jane@example.net\nTo: bob@example.org\nSubject: lunch?\n\nTomorrow?\n".getBytes(StandardCharsets.US_ASCII))
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .body("reports", hasSize(0))
                .body("detail", startsWith("no failed recipient found"));
    }

    @Test
    void refusesAnEmptyBody() {
        given().contentType(RFC822).body(new byte[0])
                .when().post("/v1/diagnoses")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:bounce-doctor:problem:malformed-mail"))
                .body("detail", containsString("empty"))
                .body("errors[0].field", equalTo("body"));
    }

    @Test
    void refusesBytesThatAreNotAMail() {
        byte[] junk = new byte[8192];
        new Random(1).nextBytes(junk);
        given().contentType(RFC822).body(junk)
                .when().post("/v1/diagnoses")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:bounce-doctor:problem:malformed-mail"))
                .body("detail", containsString("binary"));
    }

    @Test
    void readsATruncatedMultipartAsFarAsItGoes() throws IOException {
        String mail = Files.readString(CORPUS.resolve("lhost-postfix-01.eml"), StandardCharsets.ISO_8859_1);
        String truncated = mail.substring(0, mail.indexOf("Action: failed") + 20);
        given().contentType(RFC822).body(truncated.getBytes(StandardCharsets.ISO_8859_1))
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .body("reports[0].fact.status", equalTo("bounced"));
    }

    @Test
    void copesWithATwentyMegabyteAttachment() throws IOException {
        ByteArrayOutputStream mail = new ByteArrayOutputStream();
        mail.writeBytes("""
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.org
                To: sender@example.org
                Subject: Undelivered Mail Returned to Sender
                Content-Type: multipart/report; report-type=delivery-status; boundary="B"

                --B
                Content-Type: message/delivery-status

                Final-Recipient: rfc822; jane@example.net
                Action: failed
                Status: 5.2.2
                Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

                --B
                Content-Type: application/octet-stream
                Content-Transfer-Encoding: base64

                """.getBytes(StandardCharsets.US_ASCII));
        byte[] attachment = new byte[15 * 1024 * 1024];
        new Random(2).nextBytes(attachment);
        mail.writeBytes(Base64.getMimeEncoder().encode(attachment));
        mail.writeBytes("\n--B--\n".getBytes(StandardCharsets.US_ASCII));
        given().contentType(RFC822).body(mail.toByteArray())
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .body("reports", hasSize(1))
                .body("reports[0].fact.recipient", equalTo("jane@example.net"))
                .body("reports[0].fact.smtpCode", equalTo(552));
    }
}

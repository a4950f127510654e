package dev.bouncedoctor.check;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POST /v1/addresses/check with DNS lookups on, against the loopback responder: each verdict, each malformed kind, each
 * DNS answer. The responder is a test resource of every test's application (not a profile of its own, which would cost
 * another start of the service); only this endpoint asks it.
 */
@QuarkusTest
@QuarkusTestResource(value = LoopbackDns.class, restrictToAnnotatedClass = false)
class AddressCheckTest {

    private static ValidatableResponse check(String address) {
        return given().contentType(ContentType.JSON).body(Map.of("address", address)).post("/v1/addresses/check")
                .then().statusCode(200).body("results", hasSize(1));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "jane@gmail,com      | holds a ','",
            "jane@@gmail.com     | 2 @ signs",
            "jane doe@gmail.com  | holds a space",
            "jane@gmail.com.     | ends with a dot",
            "jane@gmail          | has no dot",
            "jane.gmail.com      | has no @",
            "jane@gm(ail.com     | missing ')'"})
    void aMalformedAddressIsNotSentToAndSaysWhy(String address, String why) {
        check(address).body("results[0].valid", equalTo(false)).body("results[0].malformed", containsString(why))
                .body("results[0].verdict", equalTo("do-not-send")).body("results[0].because", containsString("malformed"))
                .body("results[0].normalized", nullValue());
    }

    @Test
    void aDomainWithAnMxIsSentTo() {
        check("Jane@MX.test").body("results[0].valid", equalTo(true)).body("results[0].normalized", equalTo("Jane@mx.test"))
                .body("results[0].mailHost.found", equalTo(true)).body("results[0].mailHost.detail", containsString("mail.mx.test"))
                .body("results[0].verdict", equalTo("send")).body("results[0].because", containsString("mail server"));
    }

    @Test
    void anAddressRecordIsTheImplicitMx() {
        check("jane@a-only.test").body("results[0].mailHost.found", equalTo(true)).body("results[0].mailHost.detail", containsString("192.0.2.10"))
                .body("results[0].verdict", equalTo("send"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jane@no-mail.test     | no MX record and no address record",
            "jane@null-mx.test     | null MX",
            "jane@nowhere.test     | does not exist (NXDOMAIN)"})
    void aDomainWithoutAMailHostIsNotSentTo(String address, String detail) {
        check(address).body("results[0].mailHost.found", equalTo(false)).body("results[0].mailHost.detail", containsString(detail))
                .body("results[0].verdict", equalTo("do-not-send")).body("results[0].because", containsString(detail));
    }

    @Test
    void aLookupThatTimesOutSaysNothingAgainstTheAddress() {
        check("jane@slow.test").body("results[0].mailHost.found", nullValue()).body("results[0].mailHost.detail", containsString("slow.test"))
                .body("results[0].verdict", equalTo("send"));
    }

    @Test
    void aMistypedDomainNamesTheAddressMeant() {
        // gmial.com does not exist in the loopback zone either: the missing mail host decides, the suggestion stays.
        check("jane@gmial.com").body("results[0].suggestion", equalTo("jane@gmail.com")).body("results[0].verdict", equalTo("do-not-send"));
    }

    @Test
    void anIdnDomainIsNormalisedToAscii() {
        check("jürgen@bücher.test").body("results[0].valid", equalTo(true)).body("results[0].normalized", equalTo("jürgen@xn--bcher-kva.test"));
    }

    @Test
    void anAddressOnTheBounceListIsNotSentToAndTheListSaysWhy() {
        given().contentType(ContentType.JSON).body(Map.of("recipient", "gone@mx.test", "status", "bounced", "smtpCode", 550, "enhancedCode", "5.1.1",
                "message", "550 5.1.1 <gone@mx.test>: Recipient address rejected: User unknown")).post("/v1/events").then().statusCode(201);
        check("gone@mx.test").body("results[0].verdict", equalTo("do-not-send")).body("results[0].suppression.reason", equalTo("userunknown"))
                .body("results[0].because", containsString("bounce list")).body("results[0].recentFailures", hasSize(1));
    }

    @Test
    void aRecentSoftBounceAsksForCare() {
        given().contentType(ContentType.JSON).body(Map.of("recipient", "busy@mx.test", "status", "bounced", "smtpCode", 452, "enhancedCode", "4.2.2",
                "message", "452 4.2.2 Mailbox full")).post("/v1/events").then().statusCode(201);
        check("busy@mx.test").body("results[0].verdict", equalTo("send-with-care")).body("results[0].recentFailures[0].reason", equalTo("mailboxfull"));
    }

    @Test
    void aListIsAnsweredInOrder() {
        given().contentType(ContentType.JSON).body(Map.of("addresses", List.of("a@mx.test", "b@gmail,com", "c@nowhere.test"))).post("/v1/addresses/check")
                .then().statusCode(200).body("results.address", equalTo(List.of("a@mx.test", "b@gmail,com", "c@nowhere.test")))
                .body("results.verdict", equalTo(List.of("send", "do-not-send", "do-not-send")));
    }

    @Test
    void aRequestWithNeitherOrBothOrTooManyIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of()).post("/v1/addresses/check")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("address"));
        given().contentType(ContentType.JSON).body(Map.of("address", "a@mx.test", "addresses", List.of("b@mx.test"))).post("/v1/addresses/check")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("addresses", Collections.nCopies(1001, "a@mx.test"))).post("/v1/addresses/check")
                .then().statusCode(413).contentType("application/problem+json").body("detail", containsString("1000"));
    }
}

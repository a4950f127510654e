package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Addresses over HTTP: what is not one address is a 400 problem naming the field and saying what to send, wherever an
 * address comes in; the two spellings of an internationalised domain are one recipient.
 */
@QuarkusTest
class AddressesHttpTest {

    /** Each is refused by the strict parser (see AddressesTest for the reasons). */
    static Stream<String> notAddresses() {
        return Stream.of("jane@gmail,com", "x@y@z.com", "mailto:jane@example.com", "jane @example.com", "jane@", "@example.com",
                "jane@example.com.", "jane..doe@example.com");
    }

    private static ValidatableResponse refused(ValidatableResponse response, String field) {
        return response.statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message",
                        allOf(containsString("is not an email address"), containsString("send one address as local@domain")))
                .body(not(containsString("Exception")));
    }

    @ParameterizedTest
    @MethodSource("notAddresses")
    void aDiagnosisRefusesARecipientThatIsNotOneAddress(String address) {
        refused(given().contentType(ContentType.JSON).body("{\"recipient\":\"" + address + "\",\"smtpCode\":550}")
                .when().post("/v1/diagnoses").then(), "recipient");
    }

    @ParameterizedTest
    @MethodSource("notAddresses")
    void anEventRefusesARecipientOrSenderThatIsNotOneAddress(String address) {
        refused(given().contentType(ContentType.JSON).body("{\"recipient\":\"" + address + "\",\"status\":\"bounced\"}")
                .when().post("/v1/events").then(), "recipient");
        refused(given().contentType(ContentType.JSON).body("{\"recipient\":\"jane@example.com\",\"sender\":\"" + address + "\",\"status\":\"bounced\"}")
                .when().post("/v1/events").then(), "sender");
        refused(given().contentType(ContentType.JSON).body("[{\"recipient\":\"jane@example.com\",\"status\":\"bounced\"},{\"recipient\":\"" + address
                        + "\",\"status\":\"bounced\"}]")
                .when().post("/v1/events/batch").then(), "[1].recipient");
    }

    @ParameterizedTest
    @MethodSource("notAddresses")
    void aLookupRefusesAnAddressThatIsNotOneAddress(String address) {
        refused(given().when().get("/v1/recipients/{address}", address).then(), "address");
        refused(given().header("X-Operator", "ops").when().delete("/v1/suppressions/{address}", address).then(), "address");
        refused(given().when().get("/v1/senders/{sender}/diagnoses", address).then(), "sender");
        refused(given().queryParam("recipient", address).when().get("/v1/events").then(), "recipient");
    }

    @Test
    void theTwoSpellingsOfAnInternationalDomainAreOneRecipient() {
        String label = "b\u00fccher-" + UUID.randomUUID().toString().substring(0, 8);
        String unicode = "jane@" + label + ".example";
        String ascii = "jane@" + java.net.IDN.toASCII(label) + ".example";
        given().contentType(ContentType.JSON).body("{\"recipient\":\"Jane <" + unicode.toUpperCase().replace("JANE@", "jane@") + ">\",\"status\":\"bounced\",\"smtpCode\":552}")
                .when().post("/v1/events").then().statusCode(201)
                .body("event.recipient", equalTo(ascii))
                .body("recipient.address", equalTo(ascii))
                .body("recipient.consecutiveFailures", equalTo(1));
        given().contentType(ContentType.JSON).body("{\"recipient\":\"" + ascii + "\",\"status\":\"bounced\",\"smtpCode\":552}")
                .when().post("/v1/events").then().statusCode(201)
                .body("recipient.address", equalTo(ascii))
                .body("recipient.consecutiveFailures", equalTo(2));
        given().when().get("/v1/recipients/{address}", unicode).then().statusCode(200)
                .body("recipient.address", equalTo(ascii))
                .body("recentEvents", hasSize(2));
        given().when().get("/v1/recipients/{address}", ascii).then().statusCode(200).body("recentEvents", hasSize(2));
        given().queryParam("recipient", unicode).when().get("/v1/events").then().body("total", equalTo(2));
    }

    @Test
    void aDiagnosisAnswersWithTheCanonicalAddresses() {
        given().contentType(ContentType.JSON)
                .body("{\"recipient\":\"J\u00e4ne <J\u00e4ne@B\u00fccher.DE>\",\"sender\":\"Billing <billing@Acme.EXAMPLE>\",\"smtpCode\":550}")
                .when().post("/v1/diagnoses").then().statusCode(200)
                .body("fact.recipient", equalTo("J\u00e4ne@xn--bcher-kva.de"))
                .body("fact.sender", equalTo("billing@acme.example"));
    }
}

package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The providers' documented examples (src/test/resources/webhooks), with their example.com addresses moved to a domain
 * of the test's own: all test classes share one database, and a recipient's flag must be this test's doing.
 */
final class Fixtures {

    private Fixtures() {
    }

    /** A domain no other test uses. */
    static String domain() {
        return "w" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    /** A fixture with example.com replaced by {@code domain}. */
    static String load(String path, String domain) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/webhooks/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("example.com", domain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logged events of a recipient (newest first), read with the test suite's API key. */
    static ValidatableResponse events(String recipient) {
        return given().queryParam("recipient", recipient).get("/v1/events").then().statusCode(200);
    }

    static ValidatableResponse recipient(String address) {
        return given().get("/v1/recipients/" + address).then();
    }
}

package dev.bouncedoctor.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A first start on an empty database, with no key configured and no OIDC: one key with every role
 * is created and printed once to the log. The log is written to a file here so that the test reads
 * what an admin would.
 */
@QuarkusTest
@TestProfile(FirstStartTest.EmptyDatabase.class)
@TestKey.OwnCredentials
class FirstStartTest {

    static final Path LOG = Path.of("target", "first-start-" + UUID.randomUUID() + ".log");

    public static class EmptyDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:first-start;DB_CLOSE_DELAY=-1",
                    // No configured key: what a first `java -jar` sees.
                    "security.bootstrap-key", "",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(),
                    // The rules play no part here; not compiling them keeps this restart short.
                    "rules.dir", "target/no-such-rules-dir",
                    "rules.poll-interval", "1h");
        }
    }

    private static final Pattern PRINTED_KEY = Pattern.compile("^\\s+(bdk_[A-Za-z0-9_-]{43})\\s*$", Pattern.MULTILINE);

    @Inject
    ApiKeys keys;
    @Inject
    FirstStart firstStart;

    @Test
    void theFirstStartCreatesOneKeyWithEveryRoleAndPrintsItOnce() throws IOException {
        String log = Files.readString(LOG);
        assertEquals(1, count(log, "event=security.first-key outcome=created"), log);
        Matcher printed = PRINTED_KEY.matcher(log);
        assertTrue(printed.find(), "the key stands on a line of its own: " + log);
        String key = printed.group(1);
        assertTrue(log.contains("X-API-Key: " + key), "with how to use it");

        List<ApiKeys.KeyView> all = keys.list();
        assertEquals(1, all.stream().filter(k -> k.name().equals(FirstStart.FIRST_KEY_NAME)).count());
        assertEquals(Roles.ALL, keys.find(FirstStart.FIRST_KEY_NAME).orElseThrow().roles(), "every role, so that the README's first curl works");
        given().header("X-API-Key", key).contentType("application/json").body("{\"smtpCode\":550}").post("/v1/keys")
                .then().statusCode(400); // admin: let in, then told what the body lacks
        given().header("X-API-Key", key).get("/v1/suppressions").then().statusCode(200);

        // Started again (or a second replica): keys exist, nothing is created or printed.
        assertEquals(FirstStart.Outcome.Kind.NOTHING, firstStart.run().kind());
        assertEquals(all.size(), keys.list().size());
        assertEquals(1, count(Files.readString(LOG), "event=security.first-key outcome=created"));
    }

    @Test
    void twoInstancesCreatingTheFirstKeyAtOnceLeaveOneAndNeitherFails() {
        String name = "race-" + UUID.randomUUID().toString().substring(0, 8);
        assertTrue(keys.insert(name, keys.generate(), Roles.ALL).isPresent());
        // The loser of the race finds the name taken: no exception, no second key.
        assertEquals(Optional.empty(), keys.insert(name, keys.generate(), Roles.ALL));
        assertEquals(1, keys.list().stream().filter(k -> k.name().equals(name)).count());
    }

    @Test
    void aConfiguredBootstrapKeyIsStoredHashedAndNeverPrinted() throws IOException {
        String configured = "bdk_" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        FirstStart withSecret = new FirstStart(keys, true, Optional.of(configured), false, Optional.empty());
        assertEquals(FirstStart.Outcome.Kind.CONFIGURED_STORED, withSecret.run().kind());
        assertEquals(Roles.ALL, keys.find(FirstStart.CONFIGURED_KEY_NAME).orElseThrow().roles());
        given().header("X-API-Key", configured).get("/v1/suppressions").then().statusCode(200);
        // A restart with the same Secret changes nothing.
        withSecret.run();
        assertEquals(1, keys.list().stream().filter(k -> k.name().equals(FirstStart.CONFIGURED_KEY_NAME)).count());
        assertFalse(Files.readString(LOG).contains(configured.substring(4)), "never printed");

        IllegalStateException typo = assertThrows(IllegalStateException.class,
                () -> new FirstStart(keys, true, Optional.of("bdk_too-short"), false, Optional.empty()).run());
        assertTrue(typo.getMessage().contains("SECURITY_BOOTSTRAP_KEY") && !typo.getMessage().contains("too-short"), typo.getMessage());
    }

    @Test
    void withOidcConfiguredNoKeyIsGenerated() {
        FirstStart withOidc = new FirstStart(keys, true, Optional.empty(), true, Optional.of("https://idp.example/realms/mail"));
        assertTrue(withOidc.oidcConfigured());
        // The table is not empty here, so also check the decision itself: OIDC configured means no generated key.
        assertEquals(FirstStart.Outcome.Kind.NOTHING, withOidc.run().kind());
        assertFalse(new FirstStart(keys, true, Optional.empty(), false, Optional.of("https://idp.example/realms/mail")).oidcConfigured(),
                "a URL with OIDC switched off is not configured");
    }

    private static long count(String text, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }
}

package dev.bouncedoctor.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The console's pages in the role matrix: an anonymous visitor is sent to sign in; a person signed in with a key
 * holding the page's role sees it; one whose key holds every other role gets the console's "not allowed" page.
 * Signing in is the browser's way (the sign-in form, then the session cookie), not a key header.
 */
@QuarkusTest
@TestKey.OwnCredentials
class ConsoleRoleTest {

    record Page(String path, String role) {
        @Override
        public String toString() {
            return "GET " + path + " needs " + role;
        }
    }

    static Stream<Page> pages() {
        return Stream.of(
                new Page("/console", null),
                new Page("/console/diagnose", Roles.DIAGNOSE),
                new Page("/console/log", Roles.READ),
                new Page("/console/log?undelivered=true&from=2026-01-01&to=2026-01-31", Roles.READ),
                new Page("/console/recipients?address=nobody@console-roles.example", Roles.READ),
                new Page("/console/bounces", Roles.READ),
                new Page("/console/bounces/export", Roles.READ),
                new Page("/console/bounces/mark-valid?address=nobody@console-roles.example", Roles.OPERATOR),
                new Page("/console/senders?sender=nobody@console-roles.example", Roles.READ),
                new Page("/console/rules", Roles.READ));
    }

    private static final Map<String, String> SESSIONS = new ConcurrentHashMap<>();

    @Inject
    ApiKeys keys;

    /** A session cookie for a fresh key with these roles, got by posting the sign-in form. */
    private String session(String label, List<String> roles) {
        return SESSIONS.computeIfAbsent(label, l -> {
            String key = keys.create("console-roles-" + UUID.randomUUID().toString().substring(0, 8), roles).key();
            Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("name", "api-key").formParam("key", key).post("/console/j_security_check");
            assertEquals(302, r.statusCode(), "signed in: " + r.headers());
            String cookie = r.getCookie("bd-console");
            assertTrue(cookie != null && !cookie.isBlank(), "a session cookie");
            return cookie;
        });
    }

    private static Response get(String path, String session) {
        var r = given().redirects().follow(false);
        if (session != null) {
            r.cookie("bd-console", session);
        }
        return r.get(path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void anonymousVisitorsAreSentToSignIn(Page page) {
        Response r = get(page.path(), null);
        assertEquals(302, r.statusCode(), page + ": " + r.asString());
        assertTrue(r.header("Location").endsWith("/console/sign-in"), r.header("Location"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void withTheRoleThePageShows(Page page) {
        List<String> roles = page.role() == null ? List.of(Roles.READ) : List.of(page.role());
        Response r = get(page.path(), session("only " + roles, roles));
        int status = r.statusCode();
        assertTrue(status == 200 || status == 404, page + " answered " + status);
        assertTrue(r.contentType().startsWith("text/html") || r.contentType().startsWith("text/csv"), r.contentType());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void withEveryOtherRoleItIsNotAllowed(Page page) {
        if (page.role() == null) {
            return;
        }
        List<String> others = Roles.ALL.stream().filter(r -> !r.equals(page.role())).toList();
        Response r = get(page.path(), session("all but " + page.role(), others));
        assertEquals(403, r.statusCode(), page.toString());
        assertTrue(r.contentType().startsWith("text/html"), r.contentType());
        assertTrue(r.asString().contains(page.role()), "the page names the role it needs");
    }

    @Test
    void aWrongKeyIsSentBackToSignInSayingSo() {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("name", "api-key").formParam("key", "bdk_" + "0".repeat(43)).post("/console/j_security_check");
        assertEquals(303, r.statusCode());
        assertTrue(r.header("Location").endsWith("/console/sign-in?failed=true"), r.header("Location"));
        assertEquals(null, r.getCookie("bd-console"));
    }

    @Test
    void aRevokedKeysSessionEndsAtOnce() {
        String name = "console-revoked-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.create(name, List.of(Roles.READ)).key();
        String cookie = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("name", "api-key").formParam("key", key).post("/console/j_security_check").getCookie("bd-console");
        assertEquals(200, get("/console/log", cookie).statusCode());
        keys.revoke(name);
        Response r = get("/console/log", cookie);
        assertTrue(r.statusCode() == 302 || r.statusCode() == 303, "signed out: " + r.statusCode());
        assertTrue(r.header("Location").contains("/console/sign-in"), r.header("Location"));
    }

    @Test
    void aFormPostFromAnotherSiteIsRefused() {
        String cookie = session("operator", List.of(Roles.READ, Roles.OPERATOR));
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Origin", "https://evil.example"),
                Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Origin", "null"))) {
            Response r = given().redirects().follow(false).cookie("bd-console", cookie).headers(headers).contentType("application/x-www-form-urlencoded")
                    .formParam("address", "nobody@console-roles.example").post("/console/bounces/mark-valid");
            assertEquals(403, r.statusCode(), "a cross-site form cannot act for a signed-in operator: " + headers);
            assertTrue(r.asString().startsWith("Refused: "), r.asString());
        }
        Response same = given().redirects().follow(false).cookie("bd-console", cookie).header("Sec-Fetch-Site", "same-origin")
                .contentType("application/x-www-form-urlencoded").formParam("address", "nobody@console-roles.example").post("/console/bounces/mark-valid");
        assertEquals(404, same.statusCode(), "from the console's own page it goes through (and the address is not listed)");
    }

    @Test
    void theApiStillAnswersWithProblemsNotRedirects() {
        given().redirects().follow(false).get("/v1/events").then().statusCode(401).contentType("application/problem+json");
    }
}

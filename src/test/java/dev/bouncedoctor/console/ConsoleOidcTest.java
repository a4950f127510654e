package dev.bouncedoctor.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.security.OidcTest;
import dev.bouncedoctor.security.Roles;
import dev.bouncedoctor.security.TestKey;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * With OIDC configured, people sign in to the console at the identity provider (the authorization-code flow), with
 * the roles it gives them, exactly as its tokens carry them to the API. The test issuer signs in whoever the test
 * names, without asking, so a real Chromium walks the whole redirect: console, provider, back with a code, signed in.
 */
@QuarkusTest
@TestProfile(OidcTest.WithIssuer.class)
@TestKey.OwnCredentials
class ConsoleOidcTest {

    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    @BeforeEach
    void startBrowser() {
        if (browser == null) {
            browser = new Browser(base.toString());
        }
        browser.driver.manage().deleteAllCookies();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private void nextSignIn(String name, List<String> roles) {
        given().contentType("application/json").body(Map.of("sub", name + "-id", "preferred_username", name, "roles", roles))
                .post(issuer + "/next-login").then().statusCode(200);
    }

    @Test
    void aPersonSignsInAtTheIdentityProviderWithItsRoles() {
        nextSignIn("ann.support", List.of(Roles.READ, Roles.OPERATOR));
        browser.open("/console/sign-in");
        assertTrue(browser.driver.findElements(By.id("key")).isEmpty(), "no API key form: the identity provider is the way in");
        browser.follow(browser.driver.findElement(By.id("sign-in-idp")));
        assertEquals("/console", browser.path());
        assertTrue(browser.driver.findElement(By.cssSelector(".who")).getText().contains("ann.support"), "signed in as the provider's user");
        assertEquals(5, browser.driver.findElements(By.cssSelector(".cards li")).size(), "what the read role offers, not diagnose");

        browser.open("/console/diagnose");
        assertEquals("Not allowed", browser.driver.findElement(By.tagName("h1")).getText(), "the provider gave no diagnose role");
        browser.open("/console/log");
        assertEquals("Mail log", browser.driver.findElement(By.tagName("h1")).getText());
    }

    @Test
    void anAnonymousVisitorIsSentToTheIdentityProviderAndBack() {
        nextSignIn("bob.reader", List.of(Roles.READ));
        browser.open("/console/bounces");
        assertEquals("/console/bounces", browser.path(), "back on the page asked for, signed in");
        assertTrue(browser.driver.findElement(By.cssSelector(".who")).getText().contains("bob.reader"));
        browser.follow(browser.driver.findElement(By.cssSelector("a[href='/console/sign-out']")));
        assertTrue(browser.path().startsWith("/console/sign-in"), browser.path());
        assertTrue(browser.driver.manage().getCookies().stream().noneMatch(c -> c.getName().startsWith("q_session")),
                "the session cookie is gone: " + browser.driver.manage().getCookies());
    }
}

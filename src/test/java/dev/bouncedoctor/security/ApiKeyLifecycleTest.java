package dev.bouncedoctor.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.cli.KeysCommand;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.hibernate.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A key's life: created (by the service, the jar's command, or POST /v1/keys), used, listed,
 * revoked; stored only as a hash. A refused key is indistinguishable from no key at all.
 */
@QuarkusTest
@TestKey.OwnCredentials
class ApiKeyLifecycleTest {

    private static final String PROBE = "/v1/suppressions?size=1";

    @Inject
    ApiKeys keys;
    @Inject
    KeysCommand command;
    @Inject
    Session db;

    @Test
    void aKeyIsCreatedUsedListedAndRevoked() {
        String name = name("lifecycle");
        ApiKeys.CreatedKey created = keys.create(name, List.of(Roles.READ, Roles.DIAGNOSE));
        assertTrue(created.key().matches("bdk_[A-Za-z0-9_-]{43}"), "prefix and 256 random bits: " + created.key().length());
        assertEquals(List.of(Roles.DIAGNOSE, Roles.READ), created.roles(), "roles in their canonical order");
        assertNull(keys.find(name).orElseThrow().lastUsedAt(), "not used yet");

        given().header("X-API-Key", created.key()).get(PROBE).then().statusCode(200);
        ApiKeys.KeyView used = keys.find(name).orElseThrow();
        assertNotNull(used.lastUsedAt(), "the use is recorded");
        given().header("X-API-Key", created.key()).get(PROBE).then().statusCode(200);
        assertEquals(used.lastUsedAt(), keys.find(name).orElseThrow().lastUsedAt(), "at most one write a minute per key");

        ApiKeys.KeyView listed = keys.list().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
        assertEquals(List.of(Roles.DIAGNOSE, Roles.READ), listed.roles());
        assertNull(listed.revokedAt());

        String before = unauthenticatedBody(given().get(PROBE));
        keys.revoke(name);
        assertNotNull(keys.find(name).orElseThrow().revokedAt());
        assertEquals(before, unauthenticatedBody(given().header("X-API-Key", created.key()).get(PROBE)), "a revoked key is answered like no key");
        keys.revoke(name);
        assertEquals(before, unauthenticatedBody(given().header("Authorization", "Bearer " + created.key()).get(PROBE)));
    }

    @Test
    void everyRefusedCredentialGetsTheSameAnswer() {
        String none = unauthenticatedBody(given().get(PROBE));
        String unknown = "bdk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().repeat(2).getBytes(StandardCharsets.US_ASCII)).substring(0, 43);
        for (String presented : List.of(unknown, "bdk_short", "not-a-key", "", TestKey.KEY + "x", TestKey.KEY.toUpperCase())) {
            assertEquals(none, unauthenticatedBody(given().header("X-API-Key", presented).get(PROBE)), "X-API-Key: " + presented);
        }
        assertEquals(none, unauthenticatedBody(given().header("Authorization", "Bearer " + unknown).get(PROBE)), "an unknown key as a bearer token");
        // No identity provider is configured here: a JWT is not a way in either.
        assertEquals(none, unauthenticatedBody(given().header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl").get(PROBE)));
        assertEquals(none, unauthenticatedBody(given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get(PROBE)));
    }

    @Test
    void onlyTheHashIsStored() throws Exception {
        String name = name("hashed");
        String key = keys.create(name, List.of(Roles.READ)).key();
        given().header("X-API-Key", key).get(PROBE).then().statusCode(200);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII)));

        List<?> row = QuarkusTransaction.requiringNew().call(() -> db
                .createNativeQuery("select name, key_hash, roles, created_at, last_used_at, revoked_at from api_key where name = :n", Object[].class)
                .setParameter("n", name).getResultList().stream().map(java.util.Arrays::asList).findFirst().orElseThrow());
        assertEquals(hash, row.get(1), "key_hash is the SHA-256 of the key");
        // The whole database, as SQL (H2's SCRIPT): the key is nowhere in it.
        List<String> dump = QuarkusTransaction.requiringNew().call(() -> db.createNativeQuery("script", String.class).getResultList());
        assertTrue(dump.stream().anyMatch(line -> line.contains(hash)), "the dump holds the hash");
        assertFalse(dump.stream().anyMatch(line -> line.contains(key) || line.contains(key.substring(4))), "the key itself is stored nowhere");
    }

    @Test
    void theJarsKeysCommandCreatesListsAndRevokes() {
        String name = name("support-ui");
        Run create = run("keys", "create", "--name", name, "--role", "operator", "--role", "read");
        assertEquals(0, create.code(), create.err());
        String key = create.out().strip();
        assertTrue(key.matches("bdk_[A-Za-z0-9_-]{43}"), "standard output is the key alone: " + create.out());
        assertTrue(create.err().contains("created key '" + name + "'") && create.err().contains("read, operator"), create.err());
        assertFalse(create.err().contains(key), "the key is printed once, on standard output");
        given().header("X-API-Key", key).get(PROBE).then().statusCode(200);
        given().header("X-API-Key", key).post("/v1/rules/reload").then().statusCode(403);

        Run list = run("keys", "list");
        assertEquals(0, list.code());
        assertTrue(list.out().startsWith("name\troles\tcreated\tlast-used\trevoked\n"), list.out());
        String line = list.out().lines().filter(l -> l.startsWith(name + "\t")).findFirst().orElseThrow();
        String[] columns = line.split("\t");
        assertEquals("read,operator", columns[1], "roles in their canonical order");
        assertFalse(columns[3].equals("-"), "last used: " + line);
        assertEquals("-", columns[4], "not revoked: " + line);
        assertFalse(list.out().contains(key) || list.out().contains(ApiKeys.hash(key)), "neither the key nor its hash is listed");

        Run revoke = run("keys", "revoke", "--name", name);
        assertEquals(0, revoke.code(), revoke.err());
        given().header("X-API-Key", key).get(PROBE).then().statusCode(401);
        String revokedLine = run("keys", "list").out().lines().filter(l -> l.startsWith(name + "\t")).findFirst().orElseThrow();
        assertFalse(revokedLine.endsWith("\t-"), revokedLine);
    }

    @Test
    void theKeysCommandRefusesBadUsageWithExitCode2() {
        String taken = name("taken");
        assertEquals(0, run("keys", "create", "--name", taken, "--role", "read").code());
        assertUsage(run("keys"), "usage:");
        assertUsage(run("keys", "frobnicate"), "unknown keys command 'frobnicate'");
        assertUsage(run("keys", "create", "--role", "read"), "create needs --name NAME");
        assertUsage(run("keys", "create", "--name", "Not A Name", "--role", "read"), "--name:");
        assertUsage(run("keys", "create", "--name", name("no-role")), "--role: give at least one role");
        assertUsage(run("keys", "create", "--name", name("boss"), "--role", "boss"), "'boss' is not a role");
        assertUsage(run("keys", "create", "--name", taken, "--role", "read"), "a key named '" + taken + "' exists already");
        assertUsage(run("keys", "create", "--name"), "--name needs a value");
        assertUsage(run("keys", "revoke", "--name", "no-such-key"), "there is no key named 'no-such-key'");
        assertUsage(run("keys", "revoke"), "revoke takes --name NAME");
        assertUsage(run("keys", "list", "--all"), "list takes no arguments");
        assertEquals(0, run("keys", "help").code());
    }

    @Test
    void adminsManageKeysOverHttpToo() {
        String name = name("webhook");
        Response created = given().header("X-API-Key", TestKey.KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"roles\":[\"ingest\"]}").post("/v1/keys");
        created.then().statusCode(201).header("Cache-Control", "no-store").header("Location", org.hamcrest.Matchers.endsWith("/v1/keys/" + name))
                .body("name", equalTo(name)).body("roles", equalTo(List.of("ingest"))).body("key", org.hamcrest.Matchers.startsWith("bdk_"));
        String key = created.path("key");

        given().header("X-API-Key", TestKey.KEY).get("/v1/keys").then().statusCode(200)
                .body("name", hasItem(name))
                .body("key", everyItem(nullValue()))
                .body("keyHash", everyItem(nullValue()))
                .body(not(org.hamcrest.Matchers.containsString(ApiKeys.hash(key))));
        given().header("X-API-Key", TestKey.KEY).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"roles\":[\"ingest\"]}").post("/v1/keys")
                .then().statusCode(409).contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        given().header("X-API-Key", TestKey.KEY).contentType(ContentType.JSON).body("{\"name\":\"x\",\"roles\":[\"root\"]}").post("/v1/keys")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("roles"));
        // An ingest key cannot make itself more keys.
        given().header("X-API-Key", key).contentType(ContentType.JSON).body("{\"name\":\"escalate\",\"roles\":[\"admin\"]}").post("/v1/keys")
                .then().statusCode(403);

        given().header("X-API-Key", TestKey.KEY).delete("/v1/keys/" + name).then().statusCode(200).body("revokedAt", notNullValue());
        given().header("X-API-Key", key).contentType(ContentType.JSON).body("{\"recipient\":\"a@b.example\",\"status\":\"delivered\"}").post("/v1/events")
                .then().statusCode(401);
    }

    /** The 401 body, after checking that it is one; compared whole between kinds of refusal. */
    private static String unauthenticatedBody(Response r) {
        r.then().statusCode(401).contentType("application/problem+json").body("type", equalTo("urn:bounce-doctor:problem:unauthenticated"));
        assertEquals(2, r.headers().getValues("WWW-Authenticate").size(), "both challenges");
        return r.asString();
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = command.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsage(Run run, String complaint) {
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains(complaint), "expected '" + complaint + "' in: " + run.err());
        assertEquals("", run.out(), "nothing on standard output");
    }

    private static String name(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

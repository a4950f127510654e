package dev.bouncedoctor.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A small OpenID provider for the tests, in-process on a free port: discovery, a JWKS with one RS256
 * key, and a test-only endpoint that issues tokens with the claims asked for (Keycloak's shape: roles
 * under realm_access/roles). It can also sign with a key it does not publish, to make a forged token.
 * Tokens are fetched over HTTP, as from a real provider, so the test and this server share nothing else.
 */
public class TestIssuer implements QuarkusTestResourceLifecycleManager {

    static final String REALM_PATH = "/realms/mail";
    static final String TOKEN_PATH = REALM_PATH + "/test-token";
    /** Test-only: who the next browser sign-in (authorization-code flow) is, as the body of {@link #TOKEN_PATH}. */
    static final String NEXT_LOGIN_PATH = REALM_PATH + "/next-login";

    private HttpServer server;
    private ExecutorService executor;
    private RsaJsonWebKey published;
    private RsaJsonWebKey stranger;
    private String issuer;
    private final ObjectMapper json = new ObjectMapper();
    /** The person the authorization endpoint signs in without asking (a test sets it first), and the codes it gave out. */
    private volatile JsonNode nextLogin;
    private final Map<String, JsonNode> codes = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            published = RsaJwkGenerator.generateJwk(2048);
            published.setKeyId("published");
            stranger = RsaJwkGenerator.generateJwk(2048);
            // Same key id: only the signature tells the forged token apart.
            stranger.setKeyId("published");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JoseException | IOException e) {
            throw new IllegalStateException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + REALM_PATH;
        server.createContext(REALM_PATH + "/.well-known/openid-configuration", exchange -> send(exchange, 200, json.writeValueAsString(Map.of(
                "issuer", issuer,
                "jwks_uri", issuer + "/certs",
                "token_endpoint", issuer + "/token",
                "authorization_endpoint", issuer + "/auth",
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "subject_types_supported", List.of("public"),
                "response_types_supported", List.of("code")))));
        server.createContext(REALM_PATH + "/certs", exchange -> send(exchange, 200,
                "{\"keys\":[" + published.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) + "]}"));
        server.createContext(TOKEN_PATH, this::issue);
        server.createContext(NEXT_LOGIN_PATH, this::nextLogin);
        server.createContext(REALM_PATH + "/auth", this::authorize);
        server.createContext(REALM_PATH + "/token", this::exchangeCode);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.start();
        // The service's own switch: setting OIDC_AUTH_SERVER_URL is all it takes to turn OIDC on.
        return Map.of("OIDC_AUTH_SERVER_URL", issuer);
    }

    private void nextLogin(HttpExchange exchange) throws IOException {
        nextLogin = json.readTree(exchange.getRequestBody());
        send(exchange, 200, "{}");
    }

    /** The authorization endpoint: signs in the person set by next-login at once and sends the browser back with a code. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (nextLogin == null || query.get("redirect_uri") == null) {
            send(exchange, 400, "no one to sign in, or no redirect_uri");
            return;
        }
        String code = java.util.UUID.randomUUID().toString();
        com.fasterxml.jackson.databind.node.ObjectNode who = nextLogin.deepCopy();
        who.put("aud", query.getOrDefault("client_id", ""));
        if (query.get("nonce") != null) {
            who.put("nonce", query.get("nonce"));
        }
        codes.put(code, who);
        String back = query.get("redirect_uri") + (query.get("redirect_uri").contains("?") ? "&" : "?") + "code=" + code
                + (query.get("state") == null ? "" : "&state=" + java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.getResponseHeaders().set("Location", back);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** The token endpoint of the code flow: a code once, for an ID token and an access token about the person signed in. */
    private void exchangeCode(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        JsonNode who = codes.remove(body.getOrDefault("code", ""));
        if (!"authorization_code".equals(body.get("grant_type")) || who == null) {
            send(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            String idToken = signed(who, true);
            String accessToken = signed(who, false);
            send(exchange, 200, json.writeValueAsString(Map.of("access_token", accessToken, "id_token", idToken, "token_type", "Bearer", "expires_in", 300)));
        } catch (JoseException e) {
            send(exchange, 500, e.getMessage());
        }
    }

    private String signed(JsonNode who, boolean idToken) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(who.path("sub").asText());
        if (who.hasNonNull("preferred_username")) {
            claims.setClaim("preferred_username", who.get("preferred_username").asText());
        }
        List<String> roles = new ArrayList<>();
        who.path("roles").forEach(r -> roles.add(r.asText()));
        claims.setClaim("realm_access", Map.of("roles", roles));
        if (idToken) {
            claims.setAudience(who.path("aud").asText());
            if (who.hasNonNull("nonce")) {
                claims.setClaim("nonce", who.get("nonce").asText());
            }
        }
        long now = NumericDate.now().getValue();
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 300));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(published.getPrivateKey());
        jws.setKeyIdHeaderValue(published.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    /**
     * POST {"sub": …, "preferred_username": …, "roles": […], "expiresIn": seconds, "forged": bool} →
     * the signed token. A negative expiresIn gives a token that expired that long ago.
     */
    private void issue(HttpExchange exchange) throws IOException {
        JsonNode ask = json.readTree(exchange.getRequestBody());
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(ask.path("sub").asText());
        if (ask.hasNonNull("preferred_username")) {
            claims.setClaim("preferred_username", ask.get("preferred_username").asText());
        }
        List<String> roles = new ArrayList<>();
        ask.path("roles").forEach(r -> roles.add(r.asText()));
        claims.setClaim("realm_access", Map.of("roles", roles));
        long now = NumericDate.now().getValue();
        long expiresIn = ask.path("expiresIn").asLong(300);
        claims.setIssuedAt(NumericDate.fromSeconds(expiresIn < 0 ? now + 2 * expiresIn : now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + expiresIn));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        RsaJsonWebKey signer = ask.path("forged").asBoolean(false) ? stranger : published;
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            send(exchange, 200, jws.getCompactSerialization());
        } catch (JoseException e) {
            send(exchange, 500, e.getMessage());
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}

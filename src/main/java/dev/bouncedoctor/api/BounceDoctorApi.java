package dev.bouncedoctor.api;

import dev.bouncedoctor.security.ApiKeyAuthenticationMechanism;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/**
 * The API's two ways in, as OpenAPI security schemes, so that Swagger UI's "Authorize" offers both:
 * an API key in {@code X-API-Key}, or an OIDC access token as a bearer JWT. Each operation accepts
 * either; which role it needs is on the resource.
 */
@OpenAPIDefinition(
        info = @Info(title = "Bounce Doctor", version = "1"),
        security = {@SecurityRequirement(name = BounceDoctorApi.API_KEY), @SecurityRequirement(name = BounceDoctorApi.BEARER)})
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = BounceDoctorApi.API_KEY, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
                apiKeyName = ApiKeyAuthenticationMechanism.HEADER,
                description = "An API key (bdk_…) made with the jar's keys command or POST /v1/keys; the first start prints one."),
        @SecurityScheme(securitySchemeName = BounceDoctorApi.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "An OIDC access token from the configured identity provider (OIDC_AUTH_SERVER_URL), with the roles in its role claim.")
})
public class BounceDoctorApi extends Application {

    static final String API_KEY = "apiKey";
    static final String BEARER = "bearer";
}

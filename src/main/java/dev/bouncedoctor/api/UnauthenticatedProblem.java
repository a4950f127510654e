package dev.bouncedoctor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.security.UnauthenticatedResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The API's 401 for the authentication mechanisms: the same problem body JAX-RS sends. */
@ApplicationScoped
public class UnauthenticatedProblem implements UnauthenticatedResponse {

    private final ObjectMapper json;

    public UnauthenticatedProblem(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void send(RoutingContext context) {
        AuthProblems.send(context, AuthProblems.unauthenticated(), json);
    }
}

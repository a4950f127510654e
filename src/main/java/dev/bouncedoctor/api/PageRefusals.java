package dev.bouncedoctor.api;

import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Refusals for an entry point whose callers are people in a browser rather than programs (the console): a page in
 * that entry point's own layout instead of the API's problem document. Implemented there, so that the API needs
 * nothing of it.
 */
public interface PageRefusals {

    /** Whether this resource class is one of the entry point's pages. */
    boolean handles(Class<?> resource);

    /** The page for a signed-in person whose roles do not include any of {@code roles}. */
    Response forbidden(List<String> roles);
}

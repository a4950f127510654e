package dev.bouncedoctor.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Pages that say something is missing or not allowed, in the console's own layout rather than as API problems. */
public final class ConsoleErrors {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance message(Viewer viewer, String heading, String detail, List<String> roles);
    }

    private ConsoleErrors() {
    }

    static Response notFound(Viewer viewer, String heading, String detail) {
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE).entity(Templates.message(viewer, heading, detail, List.of())).build();
    }

    /** A signed-in person whose roles do not allow a page or an action. */
    static Response forbidden(Viewer viewer, List<String> roles) {
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.message(viewer, "Not allowed", "Your key's roles do not allow this; it needs the role " + String.join(" or ", roles) + ".", roles))
                .build();
    }
}

package dev.bouncedoctor.console;

import dev.bouncedoctor.api.BodyLimit;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.RuleSources;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.preview.RulePreview;
import dev.bouncedoctor.preview.RulePreviewService;
import dev.bouncedoctor.rules.RuleRegistry;
import dev.bouncedoctor.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Rules: what is serving, since when, and the problems of the last load at file:line; for rule authors, upload
 * changed files and check them (validate) or see what they would change on real traffic (preview) before a
 * reload serves them.
 */
@jakarta.ws.rs.Path("/console/rules")
@RolesAllowed(Roles.READ)
@Produces(MediaType.TEXT_HTML)
public class RulesPage {

    /** The serving set as the page shows it. */
    public record Serving(String version, java.time.Instant loadedAt, int rules, int scenarios, List<String> files) {
    }

    /** What a check of uploaded files found. */
    public record Checked(String action, List<String> files, boolean valid, String version, int scenarios, int scenariosFailed,
                          List<RuleProblem> problems, RulePreview preview) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rules(Viewer viewer, Serving serving, RuleRegistry.LoadReport lastLoad, List<FieldError> errors, Checked checked);
    }

    private final RuleRegistry registry;
    private final RulePreviewService previews;
    private final SecurityIdentity caller;

    public RulesPage(RuleRegistry registry, RulePreviewService previews, SecurityIdentity caller) {
        this.registry = registry;
        this.previews = previews;
        this.caller = caller;
    }

    @GET
    public TemplateInstance rules() {
        return page(List.of(), null);
    }

    /**
     * Uploaded files replace the directory's file of the same name (or join the folder given), and the whole set
     * is checked as a reload would check it; nothing is served.
     */
    @POST
    @RolesAllowed(Roles.RULE_AUTHOR)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @BodyLimit("rules")
    public Response check(@RestForm("files") List<FileUpload> files, @RestForm String folder, @RestForm String action) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> edits = new LinkedHashMap<>();
        for (FileUpload f : files == null ? List.<FileUpload>of() : files) {
            if (f.fileName() == null || f.fileName().isBlank()) {
                continue;
            }
            String path = placed(f.fileName(), folder);
            if (!RuleSources.isRuleFile(path) || path.contains("..")) {
                errors.add(new FieldError("files", f.fileName() + ": a rule file ends in .drl, .drt, .csv, .xlsx or .yaml"));
                continue;
            }
            try {
                // A workbook is kept as the rules directory's reader keeps it (Base64); any other file is UTF-8 text.
                String text = RuleSources.text(path, Files.readAllBytes(f.uploadedFile()));
                if (text == null) {
                    errors.add(new FieldError("files", f.fileName() + ": not readable as UTF-8 text"));
                } else {
                    edits.put(path, text);
                }
            } catch (IOException e) {
                errors.add(new FieldError("files", f.fileName() + ": not readable"));
            }
        }
        if (edits.isEmpty() && errors.isEmpty()) {
            errors.add(new FieldError("files", "choose at least one rule file (.drl, .drt, .csv, .xlsx or .yaml)"));
        }
        if (!errors.isEmpty()) {
            return Response.status(400).entity(page(errors, null)).build();
        }
        List<String> names = List.copyOf(edits.keySet());
        if ("preview".equals(action)) {
            RulePreview preview = previews.preview(edits, true, 200);
            return Response.ok(page(List.of(), new Checked("preview", names, preview.compiled(), preview.version(), 0, 0, preview.problems(), preview))).build();
        }
        RuleSetLoader.Result result = registry.validate(edits, true);
        return Response.ok(page(List.of(), new Checked("validate", names, result.accepted(), result.version(), result.scenarios(),
                result.scenariosFailed(), result.problems(), null))).build();
    }

    private TemplateInstance page(List<FieldError> errors, Checked checked) {
        RuleSet set = registry.current().orElse(null);
        Serving serving = set == null ? null : new Serving(set.version(), set.loadedAt(), set.rules().size(), set.scenarios(), set.files());
        return Templates.rules(Viewer.of(caller), serving, registry.lastLoad().orElse(null), errors, checked);
    }

    /** Where an uploaded file goes: the folder given, else where a file of that name is now, else the top of the directory. */
    private String placed(String fileName, String folder) {
        String name = Path.of(fileName).getFileName().toString();
        if (folder != null && !folder.isBlank()) {
            return folder.strip().replaceAll("^/+|/+$", "") + "/" + name;
        }
        Path root = registry.directory();
        try (Stream<Path> walk = Files.walk(root)) {
            Optional<Path> existing = walk.filter(p -> p.getFileName().toString().equals(name)).findFirst();
            return existing.map(p -> root.relativize(p).toString().replace('\\', '/')).orElse(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

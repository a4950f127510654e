package dev.bouncedoctor.api;

import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.model.RuleInfo;
import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.preview.RulePreview;
import dev.bouncedoctor.preview.RulePreviewService;
import dev.bouncedoctor.rules.RuleRegistry;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.RuleSources;
import dev.bouncedoctor.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RulePreviewService previews;

    /** What is serving, and how the last load went (its problems even when the old set kept serving). */
    public record RulesView(String version, Instant loadedAt, String directory, List<String> files, int scenarios,
                            List<RuleInfo> rules, RuleRegistry.LoadReport lastLoad, List<RuleProblem> problems) {
    }

    /** {@code files}: path under the rules directory → text. With {@code overlay} (the default) they replace or join the directory's files. */
    public record ValidateRequest(Map<String, String> files, Boolean overlay) {
    }

    public record ValidateResult(boolean valid, String version, int rules, int scenarios, int scenariosFailed, List<RuleProblem> problems) {
    }

    private final RuleRegistry registry;
    private final long maxBytes;
    private final int maxFiles;

    public RulesResource(RuleRegistry registry, RulePreviewService previews,
                         @ConfigProperty(name = "rules.validate.max-bytes", defaultValue = "1048576") long maxBytes,
                         @ConfigProperty(name = "rules.validate.max-files", defaultValue = "200") int maxFiles) {
        this.registry = registry;
        this.previews = previews;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Operation(summary = "The rule set serving now and the problems of the last load")
    public RulesView rules() {
        return view();
    }

    /** Not through rules(): a call to it would be checked for its own role (ArC intercepts calls within a bean too). */
    private RulesView view() {
        RuleSet set = registry.current().orElse(null);
        RuleRegistry.LoadReport last = registry.lastLoad().orElse(null);
        return new RulesView(
                set == null ? null : set.version(),
                set == null ? null : set.loadedAt(),
                registry.directory().toString(),
                set == null ? List.of() : set.files(),
                set == null ? 0 : set.scenarios(),
                set == null ? List.of() : set.rules(),
                last,
                last == null ? List.of() : last.problems());
    }

    @POST
    @RolesAllowed(Roles.RULE_AUTHOR)
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compile DRL and run scenarios without serving them",
            description = "Body: {\"files\": {\"classify/mine.drl\": \"…\", \"scenarios/mine.yaml\": \"…\"}, \"overlay\": true}. "
                    + "With overlay the files are checked together with the rest of the rules directory. An .xlsx workbook is given as its Base64 "
                    + "text; uploaded (multipart) it is sent as it is.")
    @BodyLimit("rules")
    public ValidateResult validate(ValidateRequest request) {
        checkFiles(request == null ? null : request.files());
        RuleSetLoader.Result result = registry.validate(request.files(), request.overlay() == null || request.overlay());
        return new ValidateResult(result.accepted(), result.version(), result.rules().size(), result.scenarios(), result.scenariosFailed(), result.problems());
    }

    /**
     * The same check for files uploaded as they are ({@code multipart/form-data}, e.g. {@code curl -F
     * "classify/mine.drl=@mine.drl"}): each file part's name is its path under the rules directory, or, when the
     * name is not a rule file's path, its file name is ({@code -F "files=@classify/mine.drl;filename=classify/mine.drl"}).
     */
    @POST
    @RolesAllowed(Roles.RULE_AUTHOR)
    @Path("/validate")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Validate uploaded rule files", description = "As the JSON form; each file part is named by its path under the rules directory "
            + "(or carries it as its file name); the field overlay=false checks the files alone.")
    @BodyLimit("rules")
    public ValidateResult validateUpload(@RestForm(FileUpload.ALL) List<FileUpload> files, @RestForm String overlay) {
        return validate(new ValidateRequest(uploaded(files), flag(overlay, "overlay")));
    }

    /** The preview for uploaded files, as {@link #validateUpload}; the field events as in the JSON form. */
    @POST
    @RolesAllowed(Roles.RULE_AUTHOR)
    @Path("/preview")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Preview uploaded rule files", description = "As the JSON form, with the files uploaded as they are (see validate).")
    @BodyLimit("rules")
    public RulePreview previewUpload(@RestForm(FileUpload.ALL) List<FileUpload> files, @RestForm String overlay, @RestForm String events) {
        Integer count = null;
        if (events != null && !events.isBlank()) {
            try {
                count = Integer.valueOf(events.trim());
            } catch (NumberFormatException e) {
                throw new InvalidFactException(List.of(new FieldError("events", "give how many of the newest mail-log events to compare, 0 to 5000; got '" + events + "'")));
            }
        }
        return preview(new PreviewRequest(uploaded(files), flag(overlay, "overlay"), count));
    }

    /** Each uploaded part as path → text; a file that is not UTF-8 text is named, not guessed at. */
    private static Map<String, String> uploaded(List<FileUpload> files) {
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (FileUpload f : files == null ? List.<FileUpload>of() : files) {
            String path = RuleSources.isRuleFile(f.name()) ? f.name() : f.fileName();
            if (path == null || path.isBlank()) {
                errors.add(new FieldError("files." + f.name(), "name the part by the file's path under the rules directory, e.g. classify/mine.drl"));
                continue;
            }
            try {
                // A workbook is kept as its Base64 text, as the rules directory's reader keeps it.
                String text = RuleSources.text(path, java.nio.file.Files.readAllBytes(f.uploadedFile()));
                if (text == null) {
                    errors.add(new FieldError("files." + path, "is not UTF-8 text; rule files (.drl, .drt, .csv, .yaml) are plain UTF-8, only .xlsx workbooks are binary"));
                } else {
                    texts.put(path, text);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        return texts;
    }

    private static Boolean flag(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidFactException(List.of(new FieldError(field, "give true or false; got '" + value + "'")));
        };
    }

    public record PreviewRequest(Map<String, String> files, Boolean overlay, Integer events) {
    }

    @POST
    @RolesAllowed(Roles.RULE_AUTHOR)
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "What a proposed change would change, before it is served",
            description = "Body as for /validate, plus events: how many of the newest mail-log events to compare (default 200, at most 5000). "
                    + "The change is compiled beside the serving rules, never served, and every scenario, those events and the configured "
                    + "corpus mails (rules.preview.corpus-dir) are diagnosed by both: the answer lists the cases whose primary diagnosis "
                    + "changes, the serving and the proposed answer side by side. Its scenarios need not pass. An .xlsx workbook is given as its "
                    + "Base64 text in JSON; uploaded (multipart) it is sent as it is.")
    @BodyLimit("rules")
    public RulePreview preview(PreviewRequest request) {
        checkFiles(request == null ? null : request.files());
        int events = request.events() == null ? 200 : request.events();
        if (events < 0 || events > 5000) {
            throw new InvalidFactException(List.of(new FieldError("events", "give how many of the newest mail-log events to compare, 0 to 5000")));
        }
        return previews.preview(request.files(), request.overlay() == null || request.overlay(), events);
    }

    /** The files of a validation or preview: within the limits, each a rule file under the directory. */
    private void checkFiles(Map<String, String> files) {
        if (files == null || files.isEmpty()) {
            throw new InvalidFactException(List.of(new FieldError("files", "send at least one file: {\"files\": {\"classify/mine.drl\": \"rule …\"}}")));
        }
        if (files.size() > maxFiles) {
            throw new RequestTooLargeException("files", files.size() + " files sent; at most " + maxFiles
                    + " can be validated at once (rules.validate.max-files)");
        }
        long bytes = files.entrySet().stream()
                .mapToLong(f -> utf8Length(f.getKey()) + (f.getValue() == null ? 0 : utf8Length(f.getValue()))).sum();
        if (bytes > maxBytes) {
            throw new RequestTooLargeException("files", "the files hold " + bytes + " bytes; at most " + maxBytes
                    + " (rules.validate.max-bytes, the size a Kubernetes ConfigMap can carry) can be validated at once");
        }
        List<FieldError> errors = new ArrayList<>();
        files.forEach((path, text) -> {
            if (path.isBlank() || path.startsWith("/") || path.contains("..") || path.contains("\\") || !RuleSources.isRuleFile(path)) {
                errors.add(new FieldError("files." + path, "use a relative path under the rules directory ending in .drl, .yaml, .drt (a rule template), "
                        + ".csv or .xlsx (its table, or a decision table)"));
            } else if (text == null) {
                errors.add(new FieldError("files." + path, "give the file's text as a string"));
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
    }

    private static long utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @POST
    @RolesAllowed(Roles.RULE_AUTHOR)
    @Path("/reload")
    @Operation(summary = "Reload the rules directory now", description = "A refused set leaves the previous one serving; the answer says which is serving.")
    public RulesView reload() {
        registry.reload();
        return view();
    }
}

package dev.bouncedoctor.corpus;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Sisimai corpus as a measure of the knowledge base: each bounce mail's diagnostic text, plainly
 * extracted, goes through POST /v1/diagnoses, and the primary reason is compared with the reason
 * Sisimai's own test suite expects. The floors sit a little under the agreement reached, so that a
 * rule edit that makes the knowledge base worse fails the build.
 */
@QuarkusTest
class CorpusAgreementTest {

    private static final Path CORPUS = Path.of("src/test/resources/corpus/sisimai");
    /** Agreement over the recipients whose mail carries DSN Status / Diagnostic-Code fields. */
    private static final double FLOOR_WITH_DIAGNOSTIC = 0.91;
    /** Agreement over every recipient of the corpus, including mails with a free-text bounce only. */
    private static final double FLOOR_ALL = 0.82;
    private static final Map<String, String> FOLDED = Map.of(
            "mesgtoobig", "emailtoolarge", "exceedlimit", "emailtoolarge",
            "speeding", "ratelimited", "toomanyconn", "ratelimited");

    private record Tally(int[] withDiagnostic, int[] all) {
        Tally() {
            this(new int[2], new int[2]);
        }
    }

    @Test
    void agreesWithTheLabelledCorpus() throws IOException {
        List<String> rows = Files.readAllLines(CORPUS.resolve("expected.csv"), StandardCharsets.UTF_8);
        Map<String, List<BounceTextExtractor.Extracted>> byFile = new HashMap<>();
        Map<String, Tally> perReason = new TreeMap<>();
        Tally total = new Tally();
        StringBuilder misses = new StringBuilder();
        for (String row : rows.subList(1, rows.size())) {
            String[] cols = row.split(",", -1);
            String file = cols[0];
            int index = Integer.parseInt(cols[1]);
            String expected = FOLDED.getOrDefault(cols[4], cols[4]);
            List<BounceTextExtractor.Extracted> found = byFile.computeIfAbsent(file, f -> extract(CORPUS.resolve("maildir/bsd").resolve(f)));
            BounceTextExtractor.Extracted e = found.isEmpty() ? null : found.get(Math.min(index, found.size()) - 1);
            String actual = e == null ? "(no text)" : diagnose(e);
            boolean hit = expected.equals(actual);
            boolean withDiagnostic = e != null && e.fromDsn();
            Tally t = perReason.computeIfAbsent(expected, r -> new Tally());
            for (Tally x : List.of(t, total)) {
                x.all()[0] += hit ? 1 : 0;
                x.all()[1]++;
                if (withDiagnostic) {
                    x.withDiagnostic()[0] += hit ? 1 : 0;
                    x.withDiagnostic()[1]++;
                }
            }
            if (!hit) {
                misses.append(file).append('#').append(index).append(" expected ").append(expected).append(" got ").append(actual)
                        .append(withDiagnostic ? " [dsn] " : " [text] ").append(e == null ? "" : e.enhancedCode() + " | " + e.message()).append('\n');
            }
        }
        StringBuilder report = new StringBuilder("reason: agreed/recipients (with DSN diagnostic text)\n");
        perReason.forEach((reason, t) -> report.append(String.format("  %-16s %3d/%3d all   %3d/%3d with diagnostic%n",
                reason, t.all()[0], t.all()[1], t.withDiagnostic()[0], t.withDiagnostic()[1])));
        double withDiagnostic = ratio(total.withDiagnostic());
        double all = ratio(total.all());
        report.append(String.format("TOTAL with diagnostic text: %d/%d = %.1f%%; all recipients: %d/%d = %.1f%%%n",
                total.withDiagnostic()[0], total.withDiagnostic()[1], 100 * withDiagnostic, total.all()[0], total.all()[1], 100 * all));
        System.out.println(report);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("corpus-agreement.txt"), report + "\nDisagreements:\n" + misses, StandardCharsets.UTF_8);
        }
        assertTrue(withDiagnostic >= FLOOR_WITH_DIAGNOSTIC, "agreement with diagnostic text fell below " + FLOOR_WITH_DIAGNOSTIC + "\n" + report);
        assertTrue(all >= FLOOR_ALL, "agreement over all recipients fell below " + FLOOR_ALL + "\n" + report);
    }

    private static String diagnose(BounceTextExtractor.Extracted e) {
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("status", e.status());
        if (e.enhancedCode() != null) {
            fact.put("enhancedCode", e.enhancedCode());
        }
        if (e.message() != null) {
            fact.put("message", e.message());
        }
        return given().contentType(ContentType.JSON).body(fact)
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .extract().path("diagnoses[0].reason");
    }

    private static List<BounceTextExtractor.Extracted> extract(Path file) {
        try {
            return BounceTextExtractor.extract(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static double ratio(int[] counts) {
        return counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
    }
}

package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.Conclusion;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The team's own estimate of how the knowledge does on mail it was not written against: the diagnostic texts that the
 * major MTAs, mailbox providers, filtering services and ESPs document or send
 * ({@code src/test/resources/knowledge/bounce-texts.csv}: text, expected reason, provider, source, and for ESP events the
 * fact's status and provider), collected from their documentation and sources, never from the Sisimai corpus' mails.
 * Each text goes through the normaliser and the classify and resolve rules as a JSON fact would; the agreement is printed
 * per source, per provider and per reason with the share that ends {@code undefined}, and held to a floor.
 */
class KnowledgeDatasetTest {

    private static final Path DATASET = Path.of("src/test/resources/knowledge/bounce-texts.csv");
    /**
     * The texts Sisimai's reason modules list for each reason (lib/Sisimai/Reason/*.pm of libsisimai-perl 4.25.15,
     * BSD-2-Clause), one per row with its wildcards filled in ("x", "jane@example.com"): what servers say, gathered by
     * another project. Measured apart from the documentation dataset, before rules were written from it.
     */
    private static final Path SISIMAI = Path.of("src/test/resources/knowledge/sisimai-reason-texts.csv");

    record Row(Path file, int line, String text, String reason, String provider, String source, String status, String factProvider, String enhancedCode) {
    }

    record Outcome(Row row, String got) {
        boolean agrees() {
            return row.reason().equals(got) || row.file().equals(SISIMAI) && FINER.getOrDefault(row.reason(), List.of()).contains(got);
        }
    }

    /**
     * Sisimai 4.25 predates the finer reasons its version 5 and this vocabulary have: texts it files under blocked about
     * reverse DNS, SPF/DMARC or reputation are requireptr, authfailure or badreputation here, and its securityerror for a
     * failed login or STARTTLS is authfailure, credentials or failedstarttls. Such a finer answer counts as agreeing.
     */
    private static final Map<String, List<String>> FINER = Map.of(
            "blocked", List.of("requireptr", "authfailure", "badreputation"),
            "securityerror", List.of("authfailure", "credentials", "failedstarttls"),
            "policyviolation", List.of("authfailure"));

    private static List<Outcome> outcomes;

    @BeforeAll
    static void classifyTheDataset() throws IOException {
        RuleSetLoader.Result loaded = new RuleSetLoader().load(RuleSources.read(Path.of("rules")));
        assertTrue(loaded.accepted(), () -> "the rules directory must load: " + loaded.problems());
        Normaliser normaliser = new Normaliser();
        outcomes = new ArrayList<>();
        List<Row> rows = new ArrayList<>(read(DATASET));
        rows.addAll(read(SISIMAI));
        for (Row row : rows) {
            DeliveryFact fact = normaliser.normalise(new DeliveryFact(null, null, blankToNull(row.factProvider()), blankToNull(row.status()), null,
                    blankToNull(row.enhancedCode()), row.text(), null, null));
            Conclusion conclusion = loaded.ruleSet().classify(DiagnosisInput.of(fact));
            outcomes.add(new Outcome(row, conclusion.reason()));
        }
    }

    @Test
    void agreesWithWhatTheTextsSay() {
        List<Outcome> sisimai = outcomes.stream().filter(o -> o.row().file().equals(SISIMAI)).toList();
        List<Outcome> outcomes = KnowledgeDatasetTest.outcomes.stream().filter(o -> o.row().file().equals(DATASET)).toList();
        long agree = outcomes.stream().filter(Outcome::agrees).count();
        long undefined = outcomes.stream().filter(o -> o.got().equals("undefined")).count();
        System.out.printf("knowledge dataset: agreement %d/%d (%.1f%%), undefined %d (%.1f%%)%n", agree, outcomes.size(),
                100.0 * agree / outcomes.size(), undefined, 100.0 * undefined / outcomes.size());
        print(outcomes, "source", o -> o.row().source());
        print(outcomes, "provider", o -> o.row().provider());
        print(outcomes, "reason", o -> o.row().reason());
        outcomes.stream().filter(o -> !o.agrees()).forEach(o -> System.out.printf("  miss line %d: expected %s, got %s: %s%n",
                o.row().line(), o.row().reason(), o.got(), o.row().text()));
        long sisimaiAgree = sisimai.stream().filter(Outcome::agrees).count();
        long sisimaiUndefined = sisimai.stream().filter(o -> o.got().equals("undefined")).count();
        System.out.printf("sisimai reason texts: agreement %d/%d (%.1f%%), undefined %d (%.1f%%)%n", sisimaiAgree, sisimai.size(),
                100.0 * sisimaiAgree / sisimai.size(), sisimaiUndefined, 100.0 * sisimaiUndefined / sisimai.size());
        print(sisimai, "reason", o -> o.row().reason());
        sisimai.stream().filter(o -> !o.agrees()).forEach(o -> System.out.printf("  sisimai miss line %d: expected %s, got %s: %s%n",
                o.row().line(), o.row().reason(), o.got(), o.row().text()));
        // Sisimai's texts, measured before any rule was written from them: 362/656 (55.2%; 390, 59.5%, counting the finer
        // reasons), 188 undefined (28.7%). With the families written from them: 526/656 (80.2%), 54 undefined (8.2%) (the
        // rest are mostly Sisimai 4's own conventions: 'connection reset by peer' blocked, 'mailbox is inactive' userunknown).
        assertTrue(sisimaiAgree >= 0.80 * sisimai.size(), "sisimai agreement " + sisimaiAgree + "/" + sisimai.size());
        assertTrue(sisimaiUndefined <= 0.09 * sisimai.size(), "sisimai undefined " + sisimaiUndefined + "/" + sisimai.size());
        // The documentation dataset: 227/284 (79.9%), 17 undefined, when it was collected (the estimate on unseen wording).
        // Each later batch was measured before rules were written for it: Yandex, Zoho, iCloud, Barracuda, AT&T, NetEase,
        // QQ and ISP quota pages 20/29; KumoMTA's community wordings 57/72; Exchange and Sendmail expiry texts 3/3; real
        // bounces quoted by PHP bounce handlers 27/43 (11 undefined), then 21/31 more (3 undefined); PHPMailer-BMH's samples
        // 24/30 (4 undefined); size and block texts 5/7. With the families: 492/499 (98.6%), 1 undefined. Then MTA sources and
        // provider pages 181/233 and thin providers 11/15; the texts of Sisimai's Lhost tables 80/150 (31 undefined) and of
        // its Rhost provider tables 126/202. With the families: 1081/1097 (98.5%), 3 undefined (no longer unseen: a floor
        // against losing them).
        assertTrue(agree >= 0.98 * outcomes.size(), "agreement " + agree + "/" + outcomes.size());
        assertTrue(undefined <= 0.01 * outcomes.size(), "undefined " + undefined + "/" + outcomes.size());
    }

    @Test
    void everyRowNamesItsSourceAndAReasonOfTheVocabulary() throws IOException {
        RuleSources sources = RuleSources.read(Path.of("rules"));
        var vocabulary = new VocabularyParser().parse(sources.vocabulary()).vocabulary();
        for (Outcome o : outcomes) {
            assertTrue(vocabulary.reasons().contains(o.row().reason()), "line " + o.row().line() + ": " + o.row().reason());
            assertTrue(!o.row().source().isBlank() && !o.row().provider().isBlank(), "line " + o.row().line() + " names no source");
        }
        assertEquals(outcomes.size(), outcomes.stream().map(o -> o.row().file() + "|" + o.row().text() + "|" + o.row().factProvider()).distinct().count(), "a text twice");
    }

    private static void print(List<Outcome> outcomes, String by, Function<Outcome, String> key) {
        Map<String, long[]> counts = new TreeMap<>();
        for (Outcome o : outcomes) {
            long[] c = counts.computeIfAbsent(key.apply(o), k -> new long[3]);
            c[0] += o.agrees() ? 1 : 0;
            c[1]++;
            c[2] += o.got().equals("undefined") ? 1 : 0;
        }
        System.out.printf("  by %s:%n", by);
        counts.forEach((k, c) -> System.out.printf("    %3d/%3d %5.1f%%  undefined %2d  %s%n", c[0], c[1], 100.0 * c[0] / c[1], c[2], k));
    }

    /** RFC 4180 CSV with a header line: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<Row> read(Path dataset) throws IOException {
        String csv = Files.readString(dataset, StandardCharsets.UTF_8);
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields);
        }
        assertEquals(List.of("text", "reason", "provider", "source", "status", "factProvider", "enhancedCode"), records.get(0));
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> f = records.get(i);
            assertEquals(7, f.size(), "line " + (i + 1) + " of " + dataset);
            rows.add(new Row(dataset, i + 1, f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5), f.get(6)));
        }
        return rows;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package dev.bouncedoctor.mail;

import dev.bouncedoctor.diagnosis.MailReports;
import dev.bouncedoctor.model.Conclusion;
import dev.bouncedoctor.model.DiagnosisInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.RuleSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Sisimai corpus (src/test/resources/corpus/sisimai, BSD-2-Clause) against its expected.csv:
 * the recipients found (matched on file and 1-based index), the status and reply code where the mail
 * itself carries them, how many recipients got a diagnostic text, and the reason the current rules
 * give. Each figure is printed and held to a floor at the level reached, so a change that loses
 * ground fails.
 */
class BounceCorpusTest {

    private static final Path CORPUS = Path.of("src/test/resources/corpus/sisimai");
    /** Sisimai's own pseudo status codes (x.0.9nn) stand for its reasons; no mail carries them. */
    private static final Pattern PSEUDO_STATUS = Pattern.compile("\\d\\.0\\.9\\d\\d");
    private static final Map<String, String> OLD_NAMES = Map.of("mesgtoobig", "emailtoolarge", "exceedlimit", "emailtoolarge",
            "speeding", "ratelimited", "toomanyconn", "ratelimited");

    record Expected(String file, int index, String status, String replyCode, String reason) {
    }

    record Got(String recipient, String status, String replyCode, String reason, boolean hasText) {
    }

    private static List<Expected> expected;
    private static Map<String, List<Got>> got;
    private static Map<String, String> raw;
    /** What the classify command's path (classify and resolve phases only) gives for each recipient: "address reason". */
    private static Map<String, List<String>> classifiedOnly;

    @BeforeAll
    static void classifyTheCorpus() throws IOException {
        expected = Files.readAllLines(CORPUS.resolve("expected.csv")).stream().skip(1).map(line -> {
            String[] f = line.split(",", -1);
            return new Expected(f[0], Integer.parseInt(f[1]), f[2], f[3], OLD_NAMES.getOrDefault(f[4], f[4]));
        }).toList();
        RuleSetLoader.Result rules = new RuleSetLoader().load(RuleSources.read(Path.of("rules")));
        assertTrue(rules.accepted(), () -> "the rules directory must load: " + rules.problems());
        MailReports diagnosis = new MailReports();
        got = new HashMap<>();
        raw = new HashMap<>();
        classifiedOnly = new HashMap<>();
        try (Stream<Path> files = Files.list(CORPUS.resolve("maildir/bsd"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".eml")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                String name = file.getFileName().toString();
                raw.put(name, new String(bytes, StandardCharsets.ISO_8859_1));
                List<Got> recipients;
                List<String> classified;
                try {
                    recipients = diagnosis.report(new BounceMailParser().parse(bytes), rules.ruleSet()::diagnose).reports().stream()
                            .map(BounceCorpusTest::got).toList();
                    List<DiagnosisInput> inputs = diagnosis.inputs(BounceMailParser.withoutDates().parse(bytes));
                    List<Conclusion> conclusions = rules.ruleSet().classifyAll(inputs);
                    classified = new java.util.ArrayList<>();
                    for (int i = 0; i < inputs.size(); i++) {
                        classified.add(inputs.get(i).fact().recipient() + " " + conclusions.get(i).reason());
                    }
                } catch (MalformedMailException e) {
                    recipients = List.of();
                    classified = List.of();
                }
                got.put(name, recipients);
                classifiedOnly.put(name, classified);
            }
        }
    }

    private static Got got(DiagnosisReport r) {
        return new Got(r.fact().recipient(), r.fact().enhancedCode(), r.fact().smtpCode() == null ? "" : r.fact().smtpCode().toString(),
                r.primary().reason(), r.fact().message() != null && !r.fact().message().isBlank());
    }

    private static Got at(Expected e) {
        List<Got> list = got.getOrDefault(e.file(), List.of());
        return e.index() <= list.size() ? list.get(e.index() - 1) : null;
    }

    @Test
    void classifyingWithoutAdviceGivesTheFullDiagnosisPrimaryReason() {
        got.forEach((file, recipients) -> assertEquals(recipients.stream().map(g -> g.recipient() + " " + g.reason()).toList(),
                classifiedOnly.get(file), file));
    }

    @Test
    void findsTheLabelledRecipients() {
        long found = expected.stream().filter(e -> at(e) != null).count();
        Map<String, Long> perFile = new TreeMap<>();
        expected.forEach(e -> perFile.merge(e.file(), 1L, Long::sum));
        long sameCount = perFile.entrySet().stream().filter(f -> got.getOrDefault(f.getKey(), List.of()).size() == f.getValue()).count();
        long withText = expected.stream().map(BounceCorpusTest::at).filter(g -> g != null && g.hasText()).count();
        report("recipients at their expected index", found, expected.size());
        report("files with the expected number of recipients", sameCount, perFile.size());
        report("labelled recipients with a diagnostic text", withText, expected.size());
        perFile.forEach((file, n) -> {
            int count = got.getOrDefault(file, List.of()).size();
            if (count != n) {
                System.out.printf("  count %s: expected %d, found %d%n", file, n, count);
            }
        });
        assertTrue(found >= 615, "recipients found: " + found);
        assertTrue(sameCount >= 570, "files with the expected count: " + sameCount);
        assertTrue(withText >= 610, "recipients with a diagnostic text: " + withText);
    }

    @Test
    void extractsTheStatusTheMailCarries() {
        List<Expected> carried = expected.stream()
                .filter(e -> !e.status().isEmpty() && !PSEUDO_STATUS.matcher(e.status()).matches() && raw.get(e.file()).contains(e.status()))
                .toList();
        long agree = carried.stream().filter(e -> at(e) != null && e.status().equals(at(e).status())).count();
        report("status agreement (where the mail carries the code)", agree, carried.size());
        carried.stream().filter(e -> at(e) == null || !e.status().equals(at(e).status()))
                .forEach(e -> System.out.printf("  status %s #%d: expected %s, got %s%n", e.file(), e.index(), e.status(), at(e) == null ? "-" : at(e).status()));
        // Reached 455/458 once the remote server's quoted codes win over the reporting MTA's wrapper; a floor just under it.
        assertTrue(agree >= 0.99 * carried.size(), "status agreement " + agree + "/" + carried.size());
    }

    @Test
    void extractsTheReplyCodeTheMailCarries() {
        List<Expected> carried = expected.stream().filter(e -> !e.replyCode().isEmpty() && raw.get(e.file()).contains(e.replyCode())).toList();
        long agree = carried.stream().filter(e -> at(e) != null && e.replyCode().equals(at(e).replyCode())).count();
        report("reply-code agreement (where the mail carries the code)", agree, carried.size());
        carried.stream().filter(e -> at(e) == null || !e.replyCode().equals(at(e).replyCode()))
                .forEach(e -> System.out.printf("  reply %s #%d: expected %s, got %s%n", e.file(), e.index(), e.replyCode(), at(e) == null ? "-" : at(e).replyCode()));
        // Reached 430/434 (the rest: labels that take another reply than the one about the recipient); a floor just under it.
        assertTrue(agree >= 0.985 * carried.size(), "reply-code agreement " + agree + "/" + carried.size());
    }

    @Test
    void classifiesWithTheRules() {
        Map<String, long[]> perReason = new TreeMap<>();
        long agree = 0;
        for (Expected e : expected) {
            Got g = at(e);
            boolean ok = g != null && e.reason().equals(g.reason());
            agree += ok ? 1 : 0;
            long[] counts = perReason.computeIfAbsent(e.reason(), k -> new long[2]);
            counts[0] += ok ? 1 : 0;
            counts[1]++;
        }
        report("reason agreement with the current rules", agree, expected.size());
        long undefined = expected.stream().filter(e -> at(e) == null || "undefined".equals(at(e).reason())).count();
        report("recipients answered undefined (or not found)", undefined, expected.size());
        // Issue 15: undefined on fewer than 5% of failed recipients.
        assertTrue(undefined < 0.05 * expected.size(), "undefined " + undefined + "/" + expected.size());
        perReason.forEach((reason, c) -> System.out.printf("  %-16s %3d/%3d%n", reason, c[0], c[1]));
        // The target, which is the level reached (593/624 = 95.0% with the parser reading mboxes, forwarded bounces and ISO-2022-JP, and the
        // user-unknown convention in the rules), so that a change that loses agreement fails here.
        assertTrue(agree >= 0.95 * expected.size(), "reason agreement " + agree + "/" + expected.size());
    }

    private static void report(String what, long n, long of) {
        System.out.printf("corpus: %s: %d/%d (%.1f%%)%n", what, n, of, 100.0 * n / of);
    }
}

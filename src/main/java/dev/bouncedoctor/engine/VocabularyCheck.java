package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.model.Vocabulary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words a rule writes as literals, checked against the vocabulary when the rule set is loaded: a typo in a rule
 * that no scenario reaches would otherwise be found by the first client whose event reaches it. Each unknown word is
 * refused once, at the file and line that wrote it, with the nearest words of its kind. Words a rule computes are
 * still checked when it runs (DiagnosisEngine).
 */
final class VocabularyCheck {

    /** Where each kind of word is written: a literal as the first argument of these calls, or compared in a pattern. */
    private record Writer(String kind, Pattern pattern, Function<Vocabulary, Set<String>> words) {
    }

    /** A string literal that is the whole argument or operand: a word a rule computes ("x" + y) is checked when it runs. */
    private static final String LITERAL = "\\s*\"([^\"\\\\]*)\"(?=\\s*[,)|&\\n])";

    private static final List<Writer> WRITERS = List.of(
            new Writer("reason", Pattern.compile("Finding\\.of\\(\\s*drools\\s*," + LITERAL), Vocabulary::reasons),
            new Writer("reason", Pattern.compile("\\bsetSuppressReason\\(" + LITERAL), Vocabulary::reasons),
            new Writer("reason", Pattern.compile("\\breason\\s*==" + LITERAL), Vocabulary::reasons),
            new Writer("category", Pattern.compile("\\.category\\(" + LITERAL), Vocabulary::categories),
            new Writer("category", Pattern.compile("\\bsetCategory\\(" + LITERAL), Vocabulary::categories),
            new Writer("category", Pattern.compile("\\bcategory\\s*==" + LITERAL), Vocabulary::categories),
            new Writer("retry", Pattern.compile("\\.retry\\(" + LITERAL), Vocabulary::retries),
            new Writer("retry", Pattern.compile("\\bsetRetry\\(" + LITERAL), Vocabulary::retries),
            new Writer("retry", Pattern.compile("\\bretry\\s*==" + LITERAL), Vocabulary::retries),
            new Writer("status", Pattern.compile("\\bsetLogStatus\\(" + LITERAL), Vocabulary::statuses),
            new Writer("status", Pattern.compile("new\\s+EventStatus\\(" + LITERAL), Vocabulary::statuses),
            new Writer("status", Pattern.compile("EventStatus\\(\\s*status\\s*==" + LITERAL), Vocabulary::statuses),
            new Writer("verdict", Pattern.compile("AddressVerdict\\.decide\\(\\s*drools\\s*,\\s*\\$?\\w+\\s*," + LITERAL), Vocabulary::verdicts));

    private VocabularyCheck() {
    }

    /** The words of the DRL files and of what the tables made, a table's word put at its row and column. */
    static List<RuleProblem> check(RuleTemplates.Expanded expanded, Vocabulary vocabulary) {
        List<RuleProblem> problems = new ArrayList<>();
        for (Map.Entry<String, String> file : expanded.drl().entrySet()) {
            String text = file.getValue();
            for (Writer writer : WRITERS) {
                Set<String> words = writer.words().apply(vocabulary);
                Matcher m = writer.pattern().matcher(text);
                while (m.find()) {
                    String word = m.group(1);
                    if (!words.contains(word) && !inComment(text, m.start())) {
                        String why = writer.kind() + " '" + word + "' is not in the vocabulary (vocabulary.yaml)" + nearest(word, words);
                        int[] at = lineAndColumn(text, m.start(1));
                        RuleProblem problem = new RuleProblem(file.getKey(), at[0], at[1], why);
                        RuleTemplates.Placer table = expanded.tables().get(file.getKey());
                        if (table != null) {
                            // A table's word is fixed in its cell (the template itself writes "@{column}").
                            problem = table.place(problem, text);
                        }
                        RuleProblem found = problem;
                        if (problems.stream().noneMatch(p -> p.file().equals(found.file()) && p.line() == found.line() && p.column() == found.column())) {
                            problems.add(problem);
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** "; did you mean 'badreputation'?" for the words one or two edits away (spaces, dashes and case ignored), else the list. */
    static String nearest(String word, Set<String> words) {
        String plain = plain(word);
        List<String> close = words.stream()
                .filter(w -> distance(plain, plain(w)) <= Math.max(1, Math.min(2, plain.length() / 4)) || (!plain.isEmpty() && plain(w).contains(plain))
                        || (!plain(w).isEmpty() && plain.contains(plain(w))))
                .sorted(Comparator.comparingInt((String w) -> distance(plain, plain(w))).thenComparing(w -> w))
                .limit(3).toList();
        return close.isEmpty() ? "; the words are " + new java.util.TreeSet<>(words) : "; did you mean " + String.join(" or ", close.stream().map(w -> "'" + w + "'").toList()) + "?";
    }

    private static String plain(String word) {
        return word.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
    }

    /** Edit distance (insertions, deletions, substitutions). */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Whether the offset is inside a // line comment (a rule's comment may quote a word it does not write). */
    private static boolean inComment(String text, int offset) {
        int lineStart = text.lastIndexOf('\n', offset) + 1;
        int slash = text.indexOf("//", lineStart);
        return slash >= 0 && slash < offset;
    }

    private static int[] lineAndColumn(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, offset - lineStart + 1};
    }
}

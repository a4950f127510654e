package dev.bouncedoctor.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.model.Vocabulary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the rule set's {@value RuleSources#VOCABULARY}: four lists of words, each word once, in lower case. */
final class VocabularyParser {

    /** The result: a vocabulary, or what is wrong with the file. */
    record Parsed(Vocabulary vocabulary, List<RuleProblem> problems) {
    }

    private record Lists(List<String> reasons, List<String> categories, List<String> retries, List<String> statuses, List<String> verdicts) {
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    Parsed parse(String text) {
        String file = RuleSources.VOCABULARY;
        if (text == null) {
            return new Parsed(null, List.of(new RuleProblem(file, 0, 0, "the rules directory has no " + file
                    + ": it lists the reasons, categories, retries, statuses and verdicts rules may write")));
        }
        Lists lists;
        try {
            lists = yaml.readValue(text, Lists.class);
        } catch (JsonMappingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return new Parsed(null, List.of(new RuleProblem(file, line, 1, e.getOriginalMessage())));
        } catch (IOException e) {
            return new Parsed(null, List.of(new RuleProblem(file, 0, 0, e.getMessage())));
        }
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        byKind.put("reasons", lists == null ? null : lists.reasons());
        byKind.put("categories", lists == null ? null : lists.categories());
        byKind.put("retries", lists == null ? null : lists.retries());
        byKind.put("statuses", lists == null ? null : lists.statuses());
        byKind.put("verdicts", lists == null ? null : lists.verdicts());
        byKind.forEach((kind, words) -> {
            if (words == null || words.isEmpty()) {
                problems.add(new RuleProblem(file, 0, 0, "'" + kind + "' is missing or empty; list the " + kind + " rules may write"));
            } else if (Set.copyOf(words.stream().filter(w -> w != null).toList()).size() != words.size()) {
                problems.add(new RuleProblem(file, 0, 0, "'" + kind + "' lists a word twice or an empty one"));
            } else {
                words.stream().filter(w -> w.isBlank() || !w.equals(w.strip().toLowerCase(java.util.Locale.ROOT)))
                        .forEach(w -> problems.add(new RuleProblem(file, 0, 0, "'" + w + "' in " + kind + ": words are lower case, without spaces around")));
            }
        });
        if (!problems.isEmpty()) {
            return new Parsed(null, List.copyOf(problems));
        }
        return new Parsed(new Vocabulary(Set.copyOf(lists.reasons()), Set.copyOf(lists.categories()), Set.copyOf(lists.retries()),
                Set.copyOf(lists.statuses()), Set.copyOf(lists.verdicts())), List.of());
    }
}

package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleProblem;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.AddressFacts;
import dev.bouncedoctor.model.BounceContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code scenarios/*.yaml}: a YAML list of cases, each {@code name}, {@code fact}, an optional {@code context} (mail-log history), an optional
 * {@code mail} (the bounce mail's {@code BounceContext}) and {@code expect}. */
public final class ScenarioParser {

    public record Parsed(List<Scenario> scenarios, List<RuleProblem> problems) {
    }

    /** {@code source}: where the case's wording comes from (a help-centre article, a provider's page), for the reader only. */
    /** {@code check}: the case checks the fact's recipient before sending (rules/check/) instead of diagnosing the fact. */
    private record Case(String name, String source, DeliveryFact fact, Scenario.Context context, BounceContext mail, AddressFacts check,
                        Scenario.Expectation expect) {
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Parsed parse(String file, String text) {
        List<Scenario> scenarios = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (JsonParser parser = yaml.getFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Parsed(List.of(), List.of());
            }
            if (first != JsonToken.START_ARRAY) {
                problems.add(problem(file, parser.currentTokenLocation(), "a scenario file is a list of cases; start each case with '- name: …'"));
                return new Parsed(List.of(), problems);
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                int line = parser.currentTokenLocation().getLineNr();
                Case c = yaml.readValue(parser, Case.class);
                String missing = c.name() == null ? "name" : c.fact() == null ? "fact" : c.expect() == null ? "expect" : null;
                if (missing != null) {
                    problems.add(new RuleProblem(file, line, 1, "the case has no '" + missing + "'; every case needs name, fact and expect"));
                } else if (!names.add(c.name())) {
                    problems.add(new RuleProblem(file, line, 1, "a second case is named '" + c.name() + "'; give every case its own name"));
                } else {
                    scenarios.add(new Scenario(file, line, c.name(), c.fact(), c.expect(), c.context(), c.mail(), c.check()));
                }
            }
        } catch (JsonProcessingException e) {
            problems.add(problem(file, e.getLocation(), e.getOriginalMessage()));
        } catch (IOException e) {
            problems.add(new RuleProblem(file, 0, 0, e.getMessage()));
        }
        return new Parsed(scenarios, problems);
    }

    private static RuleProblem problem(String file, JsonLocation at, String message) {
        return at == null ? new RuleProblem(file, 0, 0, message) : new RuleProblem(file, Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0), message);
    }
}

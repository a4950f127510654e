package dev.bouncedoctor.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The advice matrix's answer for one conclusion, built by an advise rule and refined by later ones
 * (a symptom rule may, say, escalate {@code suppress}). Mutable on purpose: a refinement uses
 * {@code modify($advice) { setRetry("later") }}; the JavaBean setters let Drools' property reactivity
 * re-evaluate only the patterns that look at the changed property. The fluent methods are for building.
 * The engine checks every word against the rule set's vocabulary when the rules are done.
 */
public final class Advice {

    private final Conclusion conclusion;
    private final String rule;
    private String category;
    private boolean suppress;
    private String retry;
    private String retryAfter;
    private String title;
    private String explanation;
    private final List<String> steps = new ArrayList<>();
    private String whereToCheck;

    private Advice(Conclusion conclusion, String rule) {
        this.conclusion = conclusion;
        this.rule = rule;
    }

    public static Advice of(org.kie.api.runtime.rule.RuleContext drools, Conclusion conclusion) {
        return new Advice(conclusion, drools.getRule().getName());
    }

    public Advice category(String category) {
        this.category = category;
        return this;
    }

    public Advice suppress(boolean suppress) {
        this.suppress = suppress;
        return this;
    }

    public Advice retry(String retry) {
        this.retry = retry;
        return this;
    }

    /** An ISO-8601 duration such as {@code PT5M} or {@code P2D}. */
    public Advice retryAfter(String retryAfter) {
        if (retryAfter != null) {
            Duration.parse(retryAfter);
        }
        this.retryAfter = retryAfter;
        return this;
    }

    public Advice title(String title) {
        this.title = title;
        return this;
    }

    public Advice explanation(String explanation) {
        this.explanation = explanation;
        return this;
    }

    /** Replaces the steps. */
    public Advice steps(String... steps) {
        this.steps.clear();
        this.steps.addAll(List.of(steps));
        return this;
    }

    /** Adds a step at the end, for refinements that keep the base advice. */
    public Advice addStep(String step) {
        this.steps.add(step);
        return this;
    }

    public Advice whereToCheck(String whereToCheck) {
        this.whereToCheck = whereToCheck;
        return this;
    }

    public void setCategory(String category) {
        category(category);
    }

    public void setSuppress(boolean suppress) {
        suppress(suppress);
    }

    public void setRetry(String retry) {
        retry(retry);
    }

    public void setRetryAfter(String retryAfter) {
        retryAfter(retryAfter);
    }

    public void setTitle(String title) {
        title(title);
    }

    public void setExplanation(String explanation) {
        explanation(explanation);
    }

    public void setSteps(List<String> steps) {
        steps(steps.toArray(String[]::new));
    }

    public void setWhereToCheck(String whereToCheck) {
        whereToCheck(whereToCheck);
    }

    public Conclusion getConclusion() {
        return conclusion;
    }

    public String getReason() {
        return conclusion.reason();
    }

    public boolean isPrimary() {
        return conclusion.primary();
    }

    public String getRule() {
        return rule;
    }

    public String getCategory() {
        return category;
    }

    public boolean isSuppress() {
        return suppress;
    }

    public String getRetry() {
        return retry;
    }

    public String getRetryAfter() {
        return retryAfter;
    }

    public List<String> getSteps() {
        return List.copyOf(steps);
    }

    public String getTitle() {
        return title;
    }

    public String getExplanation() {
        return explanation;
    }

    public String getWhereToCheck() {
        return whereToCheck;
    }

    /** The advice as the API shows it. */
    public Diagnosis toDiagnosis() {
        if (category == null || retry == null) {
            throw new IllegalStateException("advice rule '" + rule + "' for reason '" + getReason() + "' must set category and retry");
        }
        Finding finding = conclusion.finding();
        return new Diagnosis(finding.reason(), category, suppress, retry, retryAfter, title, explanation,
                List.copyOf(steps), whereToCheck, finding.rule(), finding.evidence());
    }
}

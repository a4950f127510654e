package dev.bouncedoctor.model;

/** Something wrong with a rule set, where a rule author can find it. Line and column are 1-based; 0 when unknown. */
public record RuleProblem(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}

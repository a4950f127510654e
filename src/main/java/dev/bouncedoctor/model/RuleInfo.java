package dev.bouncedoctor.model;

import java.util.Map;

/** A compiled rule as {@code GET /v1/rules} lists it; {@code metadata} holds its {@code @description}, {@code @source}, … */
public record RuleInfo(String name, String packageName, String file, String phase, Map<String, Object> metadata) {
}

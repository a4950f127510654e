package dev.bouncedoctor.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests into the Kubernetes API's own types (the fabric8 model, generated from the
 * API's OpenAPI schema) and reports what the schema does not know. The model keeps unknown fields
 * aside instead of failing, so every object is walked for them; scalars of the wrong type fail.
 */
final class StrictManifestReader {

    /** The kinds these manifests may contain, by apiVersion and kind. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "v1 ConfigMap", ConfigMap.class,
            "v1 Secret", Secret.class,
            "autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class);

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    record Result(List<HasMetadata> objects, List<String> problems) {
    }

    static Result read(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<JsonNode> documents;
        try {
            documents = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
        } catch (IOException e) {
            problems.add("not YAML: " + e.getMessage());
            return new Result(objects, problems);
        }
        for (JsonNode doc : documents) {
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            String key = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
            String name = key + " " + doc.path("metadata").path("name").asText();
            Class<? extends HasMetadata> type = KINDS.get(key);
            if (type == null) {
                problems.add(name + ": not a kind these manifests should hold (known: " + KINDS.keySet() + ")");
                continue;
            }
            try {
                HasMetadata object = MAPPER.treeToValue(doc, type);
                unknownFields(object, name, problems);
                objects.add(object);
            } catch (JsonProcessingException e) {
                problems.add(name + ": " + e.getOriginalMessage());
            }
        }
        return new Result(objects, problems);
    }

    /** Walks the model's getters; a non-empty additionalProperties is a field the schema lacks. */
    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(field, path + "." + property, problems);
        }
    }

    private StrictManifestReader() {
    }
}

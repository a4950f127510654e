package dev.bouncedoctor.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A body is one JSON value: anything after it ({"a":1} {"b":2}) is refused rather than silently dropped, a field
 * given twice is refused too; and no string
 * in it is longer than {@link #MAX_STRING} characters.
 */
@Singleton
public class JsonSettings implements ObjectMapperCustomizer {

    static final int MAX_STRING = 2_000_000;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // A field given twice is ambiguous, and a record-bound body (CheckRequest, ValidateRequest, …) fails on it inside
        // Jackson with a 500: refuse it as malformed JSON, naming the field.
        mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // No field takes more than a rule file's 1 MB (rules.validate.max-bytes); a longer string is refused as it is read
        // rather than buffered whole (Jackson's own default allows 20 million characters).
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING).build());
    }
}

package dev.bouncedoctor.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A body is one JSON value: anything after it ({"a":1} {"b":2}) is refused rather than silently dropped; and no string
 * in it is longer than {@link #MAX_STRING} characters.
 */
@Singleton
public class JsonSettings implements ObjectMapperCustomizer {

    static final int MAX_STRING = 2_000_000;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // No field takes more than a rule file's 1 MB (rules.validate.max-bytes); a longer string is refused as it is read
        // rather than buffered whole (Jackson's own default allows 20 million characters).
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING).build());
    }
}

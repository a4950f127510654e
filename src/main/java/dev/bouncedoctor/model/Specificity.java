package dev.bouncedoctor.model;

/**
 * How much a finding can be trusted, lowest first. The order is the design's: a provider-specific
 * text pattern outranks a generic one, which outranks an enhanced code, a bare reply code, and
 * finally the delivery status alone.
 */
public enum Specificity {
    STATUS,
    REPLY_CODE,
    ENHANCED_CODE,
    TEXT,
    PROVIDER_TEXT,
    /** What the sending application itself says (its own error codes): nothing knows better. */
    APPLICATION
}

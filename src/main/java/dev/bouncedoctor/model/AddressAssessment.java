package dev.bouncedoctor.model;

import java.util.List;

/**
 * What the check rules concluded about an address: the verdict and why, the address probably meant when the domain
 * looks mistyped, and the rules that fired.
 */
public record AddressAssessment(String verdict, String because, String rule, AddressSuggestion suggestion, List<String> rulesFired) {
}

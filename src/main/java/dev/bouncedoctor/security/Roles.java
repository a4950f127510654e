package dev.bouncedoctor.security;

import java.util.List;

/**
 * Who may do what (DESIGN.md, "Who may do what"). A caller, an API key or an OIDC token, may hold
 * several roles; every endpoint names the one it needs. The names are part of the contract: keys
 * store them and identity providers put them into tokens.
 */
public final class Roles {

    /** POST /v1/diagnoses and /v1/diagnoses/batch. */
    public static final String DIAGNOSE = "diagnose";
    /** The mail log, recipients, suppressions, senders, the serving rules and the API description. */
    public static final String READ = "read";
    /** Storing delivery events (and, later, provider webhooks). */
    public static final String INGEST = "ingest";
    /** Changes to the bounce list. */
    public static final String OPERATOR = "operator";
    /** Validating and reloading rules. */
    public static final String RULE_AUTHOR = "rule-author";
    /** Managing API keys. */
    public static final String ADMIN = "admin";

    /** Every role, in the order they are listed to people. */
    public static final List<String> ALL = List.of(DIAGNOSE, READ, INGEST, OPERATOR, RULE_AUTHOR, ADMIN);

    private Roles() {
    }

    public static boolean isRole(String name) {
        return ALL.contains(name);
    }
}

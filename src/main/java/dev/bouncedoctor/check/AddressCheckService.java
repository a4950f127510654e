package dev.bouncedoctor.check;

import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.maillog.RecipientHistoryBuilder;
import dev.bouncedoctor.maillog.RecipientRecord;
import dev.bouncedoctor.maillog.RecipientRepository;
import dev.bouncedoctor.maillog.Transactions;
import dev.bouncedoctor.model.AddressAssessment;
import dev.bouncedoctor.model.AddressFacts;
import dev.bouncedoctor.model.Addresses;
import dev.bouncedoctor.model.Attempt;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.RecipientHistory;
import dev.bouncedoctor.model.RequestBudget;
import dev.bouncedoctor.rules.RuleRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /v1/addresses/check and the jar's check-addresses command: each address parsed by Jakarta Mail's strict parser,
 * its domain looked up in DNS when that is on ({@link MailHosts}), its state and recent attempts read from the mail
 * log, and the verdict given by the check rules (rules/check/) of the rule set serving now.
 */
@ApplicationScoped
public class AddressCheckService {

    /** How far back a failure counts as recent: the window the check rules use. */
    static final Duration RECENT = Duration.ofDays(30);
    static final int FAILURES_SHOWN = 5;

    private final RuleRegistry registry;
    private final RecipientRepository recipients;
    private final RecipientHistoryBuilder histories;
    private final MailHosts mailHosts;

    public AddressCheckService(RuleRegistry registry, RecipientRepository recipients, RecipientHistoryBuilder histories, MailHosts mailHosts) {
        this.registry = registry;
        this.recipients = recipients;
        this.histories = histories;
        this.mailHosts = mailHosts;
    }

    private record Parsed(String raw, String canonical, String malformed) {
        String domain() {
            return canonical == null ? null : canonical.substring(canonical.lastIndexOf('@') + 1);
        }
    }

    public List<AddressReport> check(List<String> addresses) {
        RuleSet rules = registry.current().orElseThrow(DiagnosisService.NoRuleSetException::new);
        List<Parsed> parsed = addresses.stream().map(AddressCheckService::parse).toList();
        Set<String> domains = new LinkedHashSet<>();
        parsed.stream().filter(p -> p.canonical() != null && !p.domain().startsWith("[")).forEach(p -> domains.add(p.domain()));
        Map<String, MailHost> hosts = mailHosts.lookUp(domains);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Transactions.inNewOrUnavailable(() -> {
            List<AddressReport> reports = new ArrayList<>(parsed.size());
            for (Parsed p : parsed) {
                RequestBudget.check();
                reports.add(report(rules, p, p.canonical() == null ? null : hosts.get(p.domain()), now));
            }
            return reports;
        });
    }

    private AddressReport report(RuleSet rules, Parsed p, MailHost host, Instant now) {
        String recipient = p.canonical() != null ? p.canonical() : p.raw();
        DeliveryFact fact = new DeliveryFact(recipient, null, null, null, null, null, null, null, now);
        RecipientRecord state = p.canonical() == null ? null : recipients.findById(p.canonical());
        RecipientHistory history = p.canonical() == null ? null : histories.of(fact, state, null, null);
        AddressAssessment verdict = rules.check(new DiagnosisInput(fact, null, history),
                new AddressFacts(recipient, p.malformed(), host == null ? null : host.found(), host == null ? null : host.detail()));
        List<AddressReport.Failure> failures = new ArrayList<>();
        if (history != null) {
            for (Attempt a : history.attempts()) {
                if (a.failure() && a.occurredAt() != null && a.occurredAt().isAfter(now.minus(RECENT)) && failures.size() < FAILURES_SHOWN) {
                    failures.add(new AddressReport.Failure(a.occurredAt(), a.status(), a.reason()));
                }
            }
        }
        AddressReport.Suppression suppression = state != null && state.suppressed
                ? new AddressReport.Suppression(state.suppressedReason, state.suppressedSince) : null;
        return new AddressReport(p.raw(), p.canonical() != null, p.malformed(), p.canonical(),
                verdict.suggestion() == null ? null : verdict.suggestion().address(), suppression, failures, host, verdict.verdict(), verdict.because());
    }

    /**
     * The everyday mix-ups, named before the parser's own words ("illegal address") would be all a support agent sees.
     * Only for an address given bare: one with a display name or quotes goes to the parser as it is.
     */
    private static String mixedUp(String address) {
        if (address.isEmpty() || address.contains("<") || address.contains("\"")) {
            return null;
        }
        int ats = address.length() - address.replace("@", "").length();
        if (ats == 0) {
            return "it has no @";
        }
        if (ats > 1) {
            return "it holds " + ats + " @ signs; an address has one";
        }
        if (address.chars().anyMatch(Character::isWhitespace)) {
            return "it holds a space";
        }
        if (address.contains(",") || address.contains(";")) {
            return "it holds a '" + (address.contains(",") ? "," : ";") + "' (a '.' mistyped, or two addresses run together?)";
        }
        if (address.endsWith(".")) {
            return "its domain ends with a dot";
        }
        return null;
    }

    /**
     * RFC 5322's addr-spec, strictly, then what a sendable address needs beyond it: a domain with a dot (a bare
     * 'gmail' is valid syntax for a local host, never a mailbox on the internet).
     */
    private static Parsed parse(String raw) {
        String mixedUp = mixedUp(raw == null ? "" : raw.strip());
        if (mixedUp != null) {
            return new Parsed(raw, null, mixedUp);
        }
        try {
            String canonical = Addresses.canonical(raw);
            String domain = canonical.substring(canonical.lastIndexOf('@') + 1);
            if (!domain.startsWith("[") && !domain.contains(".")) {
                return new Parsed(raw, null, "its domain '" + domain + "' has no dot: the top-level part (such as .com) is missing");
            }
            if (domain.endsWith(".")) {
                return new Parsed(raw, null, "its domain ends with a dot");
            }
            return new Parsed(raw, canonical, null);
        } catch (Addresses.InvalidAddressException e) {
            return new Parsed(raw, null, e.getMessage());
        }
    }
}

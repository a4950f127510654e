package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.AddressFacts;
import dev.bouncedoctor.model.Attempt;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.RecipientHistory;
import dev.bouncedoctor.model.RecipientState;
import dev.bouncedoctor.model.ReportedSymptom;
import dev.bouncedoctor.model.SenderFlag;
import dev.bouncedoctor.model.BounceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of a scenario file: given a fact (and, for symptom rules, the mail log's history), expect
 * a diagnosis. Null expectations are not checked.
 *
 * @param file the scenario file, relative to the rules directory
 * @param line where the case starts in that file
 * @param context the history the mail log would give the rules, or null for a one-off diagnosis
 * @param mail    what a raw bounce mail says next to the fact (its {@code BounceContext}), or null for a fact
 *                that came as JSON
 */
public record Scenario(String file, int line, String name, DeliveryFact fact, Expectation expect, Context context, BounceContext mail,
                       AddressFacts check) {

    public Scenario(String file, int line, String name, DeliveryFact fact, Expectation expect) {
        this(file, line, name, fact, expect, null, null, null);
    }

    public Scenario(String file, int line, String name, DeliveryFact fact, Expectation expect, Context context, BounceContext mail) {
        this(file, line, name, fact, expect, context, mail, null);
    }

    /**
     * {@code flagged}, {@code listed} (goes on the bounce list) and {@code logStatus} check what the
     * symptom rules decide for the recipient; {@code titleContains} a part of the primary title;
     * {@code fired} a rule that must have fired (for refinements that change no other field); {@code reasons} every
     * diagnosis' reason, primary first (so a case can say which secondary diagnoses there are, or that there are none);
     * {@code evidence} the primary's evidence, the part of the message as written that decided it; {@code stepsContain}
     * a part of one of the primary's steps; {@code suggests} the address the report suggests instead of the recipient's
     * ({@code ""}: none). For a case with {@code check} (an address checked before sending, rules/check/): {@code verdict}
     * and a part of its {@code because}. {@code status}: the status the mail log files the event under (what the reported
     * status means); {@code suppressedBy}: the provider the bounce list names as the source of the listing.
     */
    public record Expectation(String reason, String category, String retry, Boolean suppress, String retryAfter, String rule,
                              Boolean flagged, Boolean listed, String logStatus, String titleContains, String fired,
                              List<String> reasons, String evidence, String stepsContain, String suggests, String verdict, String because,
                              String status, String suppressedBy) {
    }

    /**
     * What the mail log knows before the fact. Times are given as {@code ago}, an ISO-8601 duration
     * before the fact's {@code occurredAt} (which defaults to {@link #NOW} when a case has a context).
     */
    public record Context(Recipient recipient, List<Past> history, List<Flag> senderFlags, String symptom) {

        public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

        /** The recipient's state; absent fields are those of an address never seen before. */
        public record Recipient(Boolean flaggedInvalid, Boolean suppressed, String suppressedReason, Duration suppressedAgo,
                                Integer consecutiveFailures, Duration removedAgo, String removedBy) {
        }

        /** An earlier attempt to the same recipient; the list is newest first. */
        public record Past(Duration ago, String status, String reason, String category, Boolean failure) {
        }

        /** {@code count} other recipients of the same sender, flagged {@code ago} with {@code reason}. */
        public record Flag(Integer count, String reason, Duration ago) {
        }

        /** The mail log's knowledge as the rules get it, relative to {@code at}. */
        public RecipientHistory history(String address, Instant at) {
            Recipient r = recipient == null ? new Recipient(null, null, null, null, null, null, null) : recipient;
            RecipientState state = new RecipientState(address, Boolean.TRUE.equals(r.flaggedInvalid()), Boolean.TRUE.equals(r.suppressed()),
                    r.suppressedReason(), r.suppressedAgo() == null ? null : at.minus(r.suppressedAgo()),
                    r.consecutiveFailures() == null ? 0 : r.consecutiveFailures(),
                    r.removedAgo() == null ? null : at.minus(r.removedAgo()), r.removedBy());
            List<Attempt> attempts = new ArrayList<>();
            if (history != null) {
                for (int i = 0; i < history.size(); i++) {
                    Past p = history.get(i);
                    attempts.add(new Attempt(i, at.minus(p.ago() == null ? Duration.ZERO : p.ago()), p.status(), p.reason(), p.category(),
                            Boolean.TRUE.equals(p.failure())));
                }
            }
            List<SenderFlag> flags = new ArrayList<>();
            if (senderFlags != null) {
                int n = 0;
                for (Flag f : senderFlags) {
                    int count = f.count() == null ? 1 : f.count();
                    for (int i = 0; i < count; i++) {
                        flags.add(new SenderFlag("recipient" + (++n) + "@flagged.example", f.reason(), at.minus(f.ago() == null ? Duration.ZERO : f.ago())));
                    }
                }
            }
            return new RecipientHistory(state, attempts, flags, symptom == null ? null : new ReportedSymptom(symptom));
        }
    }

    /** For reports and JUnit display names: {@code scenarios/classify/enhanced-codes.yaml:12 550 5.1.1 is an unknown user}. */
    public String label() {
        return file + ":" + line + " " + name;
    }
}

package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.BounceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RFC 5965 feedback reports (ARF): a {@code message/feedback-report} part, a complaint about a mail that was delivered.
 * Recipients: Original-Rcpt-To, else Removal-Recipient, else the reported mail's To; status {@code complained}, message
 * {@code Feedback-Type: <type>}.
 */
final class FeedbackReport implements MailFormat {

    static final String FORMAT = "feedback-report";

    // The recipient fields, read under an X- name and only as RFC 5965 spells them (the match is case-sensitive), as the
    // parser has always read them.
    private static final Pattern ARF_RECIPIENT_FIELDS = Pattern.compile("(?m)^(Original-Rcpt-To|Removal-Recipient)");

    @Override
    public List<BounceRecipient> read(Envelope mail) {
        // The type is tested first: asking for a part's text decodes it.
        List<Part> reports = mail.mail().parts().stream().filter(p -> p.type().equals("message/feedback-report") && p.text() != null).toList();
        if (reports.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        DsnFields.groups(ARF_RECIPIENT_FIELDS.matcher(reports.get(0).text()).replaceAll("X-$1"), fields);
        String type = Texts.lower(DsnFields.first(fields, "feedback-type"));
        List<String> recipients = new ArrayList<>();
        for (String key : List.of("x-original-rcpt-to", "x-removal-recipient")) {
            for (String value : fields.getOrDefault(key, List.of())) {
                recipients.addAll(AddressFinder.all(value));
            }
            if (!recipients.isEmpty()) {
                break;
            }
        }
        if (recipients.isEmpty()) {
            recipients.addAll(mail.originalTo());
        }
        if (recipients.isEmpty()) {
            // A complaint about no one in particular is still a complaint.
            recipients.add(null);
        }
        Instant arrived = mail.dateOf(DsnFields.first(fields, "arrival-date"));
        Instant when = arrived != null ? arrived : mail.date();
        String message = "Feedback-Type: " + (type == null ? "unknown" : type);
        BounceContext context = new BounceContext(FORMAT, null, null, null, null, DsnFields.typeless(DsnFields.first(fields, "reporting-mta")), type,
                mail.subject(), mail.from(), null);
        List<BounceRecipient> out = new ArrayList<>();
        for (String r : new LinkedHashSet<>(recipients)) {
            out.add(RecipientFacts.of(out.size() + 1, r, mail, "complained", null, message, when, context));
        }
        return out;
    }
}

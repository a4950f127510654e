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
 * Recipients: Original-Rcpt-To, else Removal-Recipient, else whom the reported mail was for (its To, or the recipient
 * fields {@link Envelope#originalTo} reads); status {@code complained}, message {@code Feedback-Type: <type>}.
 * <p>
 * Also the same report without its MIME wrapper: the report's fields in a text part of the mail's own (some feedback
 * loops send them as {@code text/plain}, or as the body of a non-MIME mail), known by the fields RFC 5965 section 3.1
 * requires; and Microsoft's Junk Mail Reporting Program (JMRP), which returns the reported mail as {@code message/rfc822}
 * with no report at all, known by its subject ("complaint about message from &lt;IP&gt;", also used by Amazon SES for
 * complaints it forwards) or by the X-HmXmrOriginalRecipient field it writes into the reported mail.
 */
final class FeedbackReport implements MailFormat {

    static final String FORMAT = "feedback-report";

    // The recipient fields, read under an X- name and only as RFC 5965 spells them (the match is case-sensitive), as the
    // parser has always read them.
    private static final Pattern ARF_RECIPIENT_FIELDS = Pattern.compile("(?m)^(Original-Rcpt-To|Removal-Recipient)");

    // RFC 5965 section 3.1: Feedback-Type, User-Agent and Version must each appear once in a report.
    private static final Pattern TYPE_FIELD = Pattern.compile("(?i)^Feedback-Type[ \\t]*:.*");
    private static final Pattern OTHER_REQUIRED_FIELD = Pattern.compile("(?i)^(?:User-Agent|Version)[ \\t]*:.*");
    // JMRP's subject, as Microsoft (staff@hotmail.com) and Amazon SES (complaints@email-abuse.amazonses.com) send it.
    private static final Pattern COMPLAINT_SUBJECT = Pattern.compile("(?i)^\\s*complaint about message from\\b");

    @Override
    public List<BounceRecipient> read(Envelope mail) {
        String report = reportText(mail);
        if (report == null) {
            return junkMailReport(mail);
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        DsnFields.groups(ARF_RECIPIENT_FIELDS.matcher(report).replaceAll("X-$1"), fields);
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

    /**
     * The report's fields: a message/feedback-report part's text; else, when the mail has no such part and is no
     * delivery-status report, the block of fields in a text/plain part of its own that holds Feedback-Type and User-Agent
     * or Version, above any returned original (the rest of that part, such as the reported mail's header pasted below, is
     * not read as the report's); null when there is neither.
     */
    private static String reportText(Envelope mail) {
        List<Part> parts = mail.mail().parts();
        // The type is tested first: asking for a part's text decodes it.
        for (Part p : parts) {
            if (p.type().equals("message/feedback-report") && p.text() != null) {
                return p.text();
            }
        }
        // Not in a bounce, whose text may quote a returned report below its own words.
        if (parts.stream().anyMatch(p -> DeliveryStatusReport.isReportType(p.type()))) {
            return null;
        }
        for (Part p : parts) {
            if (!p.enclosed() && p.type().equals("text/plain") && p.text() != null && Texts.containsIgnoreCase(p.text(), "eedback-type")) {
                // Only the mail's own words: a report quoted in a returned original below them is another mail's.
                String block = fieldBlock(ReturnedOriginal.cutAt(p.text()));
                if (block != null) {
                    return block;
                }
            }
        }
        return null;
    }

    /** The paragraph of the text that holds a Feedback-Type field, when it also holds User-Agent or Version; else null. */
    private static String fieldBlock(String text) {
        String[] lines = Texts.lines(text);
        for (int i = 0; i < lines.length; i++) {
            if (!TYPE_FIELD.matcher(lines[i]).matches()) {
                continue;
            }
            int start = i;
            while (start > 0 && !lines[start - 1].isBlank()) {
                start--;
            }
            int end = i;
            while (end + 1 < lines.length && !lines[end + 1].isBlank()) {
                end++;
            }
            boolean required = false;
            StringBuilder block = new StringBuilder();
            for (int j = start; j <= end; j++) {
                required |= OTHER_REQUIRED_FIELD.matcher(lines[j]).matches();
                block.append(lines[j]).append('\n');
            }
            return required ? block.toString() : null;
        }
        return null;
    }

    /**
     * A JMRP complaint: no report, the reported mail returned whole. Recipients: whom the reported mail was for; the
     * message is the complaint's own subject and text. Not a bounce that returns such a mail: a mail with a
     * delivery-status report is none.
     */
    private static List<BounceRecipient> junkMailReport(Envelope mail) {
        List<Part> originals = mail.mail().parts().stream().filter(p -> p.type().equals("message/rfc822")).toList();
        if (originals.isEmpty() || mail.mail().parts().stream().anyMatch(p -> DeliveryStatusReport.isReportType(p.type()))) {
            return List.of();
        }
        boolean marked = mail.subject() != null && COMPLAINT_SUBJECT.matcher(mail.subject()).find()
                || originals.stream().anyMatch(p -> p.field("X-HmXmrOriginalRecipient") != null);
        if (!marked) {
            return List.of();
        }
        List<String> recipients = new ArrayList<>(mail.originalTo());
        if (recipients.isEmpty()) {
            recipients.add(null);
        }
        String message = ((mail.subject() == null ? "" : mail.subject()) + "\n" + mail.humanText()).trim();
        BounceContext context = new BounceContext(FORMAT, null, null, null, null, null, null, mail.subject(), mail.from(), null);
        List<BounceRecipient> out = new ArrayList<>();
        for (String r : new LinkedHashSet<>(recipients)) {
            out.add(RecipientFacts.of(out.size() + 1, r, mail, "complained", null, message, mail.date(), context));
        }
        return out;
    }
}

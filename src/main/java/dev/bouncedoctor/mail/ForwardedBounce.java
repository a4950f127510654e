package dev.bouncedoctor.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A bounce that says in its own text only that something failed and returns as its "original" another bounce, with the
 * delivery-status report (a gateway or filter passing on the bounce of the server behind it): that report's recipients.
 * Likewise a feedback report (RFC 5965) forwarded inside another mail, as a feedback-loop relay or an abuse desk passes
 * it on: the enclosed report's complaints. The enclosed mail's own enclosures are not looked into.
 */
final class ForwardedBounce implements MailFormat {

    /** Reads an enclosed message as a bounce of its own. */
    private final Function<byte[], ParsedMail> readEnclosed;

    ForwardedBounce(Function<byte[], ParsedMail> readEnclosed) {
        this.readEnclosed = readEnclosed;
    }

    @Override
    public List<BounceRecipient> read(Envelope mail) {
        List<BounceRecipient> out = new ArrayList<>();
        if (mail.enclosed() || !mail.bounceLike()) {
            return out;
        }
        for (Part p : mail.mail().parts()) {
            if (!p.type().equals("message/rfc822") || p.text() == null
                    || !p.text().contains("elivery-status") && !p.text().contains("eedback-report")) {
                continue;
            }
            ParsedMail inner;
            try {
                // The enclosed message's text is its bytes as ISO-8859-1 characters: this gives the bytes back.
                inner = readEnclosed.apply(p.text().getBytes(StandardCharsets.ISO_8859_1));
            } catch (MalformedMailException e) {
                continue;
            }
            for (BounceRecipient r : inner.recipients()) {
                if (DeliveryStatusReport.FORMAT.equals(r.context().format()) || FeedbackReport.FORMAT.equals(r.context().format())) {
                    out.add(new BounceRecipient(out.size() + 1, r.fact(), r.context()));
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        return out;
    }
}

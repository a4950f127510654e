package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.DeliveryFact;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the format tests read of a parsed mail: one parser, the facts per recipient, the recipients' addresses. */
final class ParsedMails {

    private static final BounceMailParser PARSER = new BounceMailParser();

    private ParsedMails() {
    }

    static ParsedMail parse(String mail) {
        return PARSER.parse(mail.getBytes(StandardCharsets.UTF_8));
    }

    static DeliveryFact fact(ParsedMail mail, int i) {
        return mail.recipients().get(i).fact();
    }

    static List<String> recipients(ParsedMail mail) {
        return mail.recipients().stream().map(r -> r.fact().recipient()).toList();
    }
}

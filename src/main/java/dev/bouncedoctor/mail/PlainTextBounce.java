package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.BounceContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounce that follows no standard (qmail, Exim, old Sendmail, Exchange, Domino, Yahoo, Gmail, …): only its text for
 * people says who failed and why. Read only from a mail that looks like a bounce. Recipients: X-Failed-Recipients when
 * the MTA lists them; else addresses that start a line of the text; else addresses in brackets, then anywhere, in the
 * text; else the returned original's To (of several, those the text names by display name); else an address the
 * bounce's subject names. Status {@code bounced}; the message is the text about that recipient.
 */
final class PlainTextBounce implements MailFormat {

    static final String FORMAT = "plain-text";

    private static final Pattern BRACKETED_ADDRESS = Pattern.compile("<(" + AddressFinder.ADDRESS.pattern() + ")>");
    private static final Pattern ANY_ADDRESS = Pattern.compile("(" + AddressFinder.ADDRESS.pattern() + ")");
    // What separates a mailbox from the one before it in a To field: blanks and the comma.
    private static final Pattern NAME_START = Pattern.compile("^[\\s,]+");
    // Quotes around a display name ('Jane Doe', as Outlook writes it inside the double quotes) or before a name in the text.
    private static final Pattern NAME_QUOTES = Pattern.compile("^['\"]+|['\"]+$");
    private static final Pattern LEADING_QUOTES = Pattern.compile("^['\"]+");
    /** The longest To field whose display names are looked for in the text. */
    private static final int MAX_TO_FIELD = 20_000;
    private static final Pattern DETAIL_FIELD = Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9 ()._/-]{0,40}:(?:\\s.*)?$");

    @Override
    public List<BounceRecipient> read(Envelope env) {
        if (!env.bounceLike()) {
            return List.of();
        }
        String human = env.humanText();
        Set<String> daemon = env.from() == null ? Set.of() : Set.of(env.from().toLowerCase(Locale.ROOT));
        Map<String, RecipientBlocks.Block> blocks = RecipientBlocks.of(env.ownAddresses(), env.contacts(), human);
        List<RecipientBlocks.Block> chosen = new ArrayList<>();
        if (!env.failedRecipients().isEmpty()) {
            // The MTA listed the failed recipients in a header: trust that list, take the text from the body where it names them.
            for (String a : new LinkedHashSet<>(env.failedRecipients())) {
                RecipientBlocks.Block b = blocks.get(a.toLowerCase(Locale.ROOT));
                chosen.add(b != null && !b.text().isBlank() ? b : new RecipientBlocks.Block(a, human));
            }
        } else {
            chosen.addAll(blocks.values());
        }
        if (chosen.isEmpty()) {
            // Named only inside a sentence ("… delivering your mail to <jane@example.com>."): the bracketed addresses, in order; of
            // several, those the original was sent to (a Message-ID in brackets is none).
            chosen.addAll(addressedInTheOriginal(inText(BRACKETED_ADDRESS, env.ownAddresses(), env.contacts(), human), env));
        }
        if (chosen.isEmpty()) {
            // The sender wrote to itself: its own address at a line start is then the failed one.
            chosen.addAll(RecipientBlocks.of(daemon, env.contacts(), human).values());
        }
        if (chosen.isEmpty()) {
            chosen.addAll(addressedInTheOriginal(inText(ANY_ADDRESS, env.ownAddresses(), env.contacts(), human), env));
        }
        if (chosen.isEmpty()) {
            // Named nowhere in the text by address: the original's To, with the whole text as the diagnostic. Asked for only
            // now: it cuts every text part again. Of several, those the text names by their display name at the start of a
            // line, when it does: Exchange lists a recipient it resolved in its directory as "Jane Doe on <date>", Notes as
            // its hierarchical name "Jane Doe/Sales/Acme@Acme", both starting with the name the sender's To gave it.
            // A mailing list's copy is addressed to the list, or to whom its poster wrote: the member it failed for is the
            // envelope recipient its first Received names.
            String member = ReturnedOriginal.listMember(env.mail(), env.ownAddresses());
            List<String> to = member != null ? List.of(member) : env.originalTo();
            if (to.size() > 1) {
                chosen.addAll(byDisplayName(env.originalToField(), human));
            }
            if (chosen.isEmpty()) {
                for (String a : to) {
                    chosen.add(new RecipientBlocks.Block(a, human));
                }
            }
        }
        if (chosen.isEmpty() && env.subject() != null) {
            // Nor returned: the address the bounce's own subject names, with the subject and the whole text. Domino puts the reason, with the
            // address, into it ("DELIVERY FAILURE: User jane (jane@example.com) not listed in Domino Directory") while its
            // text may name the recipient only by its Notes name.
            for (String a : AddressFinder.all(env.subject())) {
                if (!env.ownAddresses().contains(a.toLowerCase(Locale.ROOT)) && chosen.stream().noneMatch(b -> b.address().equalsIgnoreCase(a))) {
                    chosen.add(new RecipientBlocks.Block(a, env.subject() + "\n" + human));
                }
            }
        }
        BounceContext context = new BounceContext(FORMAT, null, null, null, null, null, null, env.subject(), env.from(), null);
        List<BounceRecipient> out = new ArrayList<>();
        for (RecipientBlocks.Block b : chosen) {
            String text = b.text();
            // Only the address itself (the reason was written before the list of recipients), or the address among a
            // list of the message's details ("RCPT TO: …", "Size: …"): the whole text then.
            if (!text.replace(b.address(), "").chars().anyMatch(Character::isLetter) || onlyFields(text)) {
                text = human;
            }
            out.add(RecipientFacts.of(out.size() + 1, b.address(), env, "bounced", null, text, env.date(), context));
        }
        return out;
    }

    /**
     * The mailboxes of a To field ("Jane Doe" &lt;jane@…&gt;, 'Jane Doe' &lt;jane@…&gt;, Jane Doe &lt;jane@…&gt;) that the text
     * names by their display name at the start of a line (after blanks and quotes), each with the lines from there to the
     * next one named; empty when it names none. Names shorter than three characters are not looked for.
     */
    static List<RecipientBlocks.Block> byDisplayName(String toField, String human) {
        // A To of thousands of mailboxes is no list of people a text names one by one.
        if (toField == null || toField.indexOf('<') < 0 || toField.length() > MAX_TO_FIELD) {
            return List.of();
        }
        // Each mailbox is "name <address>": the name is what stands between the previous mailbox (its '>' and the comma after
        // it) and the '<'. Read with indexOf, not a regex: ADDRESS run over a long "<a.a.a.…>" repeated its group until the
        // stack overflowed.
        Map<String, String> names = new LinkedHashMap<>();
        int from = 0;
        for (int lt = toField.indexOf('<'); lt >= 0; lt = toField.indexOf('<', from)) {
            int gt = toField.indexOf('>', lt);
            if (gt < 0) {
                break;
            }
            String address = AddressFinder.valid(toField.substring(lt + 1, gt).trim());
            String name = NAME_QUOTES.matcher(NAME_START.matcher(toField.substring(from, lt)).replaceFirst("").trim()).replaceAll("").trim();
            if (address != null && name.length() >= 3) {
                names.putIfAbsent(name, address);
            }
            from = gt + 1;
        }
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : Texts.lines(human)) {
            String start = LEADING_QUOTES.matcher(line.strip()).replaceFirst("");
            for (Map.Entry<String, String> n : names.entrySet()) {
                int len = n.getKey().length();
                if (start.regionMatches(true, 0, n.getKey(), 0, len) && (start.length() == len || !Character.isLetterOrDigit(start.charAt(len)))) {
                    current = texts.computeIfAbsent(n.getValue(), k -> new StringBuilder());
                    break;
                }
            }
            if (current != null && current.length() < RecipientFacts.MAX_MESSAGE_CHARS) {
                current.append(line).append('\n');
            }
        }
        List<RecipientBlocks.Block> out = new ArrayList<>();
        // A name alone on its line (Notes writes the reason above it): the whole text is about it.
        texts.forEach((address, text) -> out.add(new RecipientBlocks.Block(address, text.toString().strip().indexOf('\n') < 0 ? human : text.toString())));
        return out;
    }

    /** Whether every non-blank line of the text is a "Label: value" field: a summary of the message, not a text about the recipient. */
    private static boolean onlyFields(String text) {
        boolean any = false;
        for (String line : Texts.lines(text)) {
            if (line.isBlank() || line.startsWith("--")) {
                // a blank line, or a MIME boundary left in the text
                continue;
            }
            if (!DETAIL_FIELD.matcher(line).matches()) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /**
     * The address without the type Exchange puts before a proxy address in an X.400 O/R address ("…;dda:SMTP=jane@…"):
     * the '=' is a local-part character, so ADDRESS takes "SMTP=jane@…" for the address.
     */
    private static String withoutAddressType(String a) {
        return a.regionMatches(true, 0, "smtp=", 0, 5) && a.indexOf('@') > 5 ? a.substring(5) : a;
    }

    /**
     * Of several addresses that the text names only inside its sentences, those that the returned original's header says
     * it was sent to (its To, Cc, Delivered-To, the "for <…>" of its Received fields): the text also names addresses to try instead, or the site's address
     * form, which the message was never sent to. All of them when the original names none, or there is one.
     */
    private static List<RecipientBlocks.Block> addressedInTheOriginal(List<RecipientBlocks.Block> found, Envelope env) {
        if (found.size() < 2) {
            return found;
        }
        // The addresses its header fields say it went to, not any address in the copy: a Message-ID or a list address
        // in the copy is no proof, and a recipient by Bcc or through an alias is named in none of them.
        java.util.Set<String> addressed = ReturnedOriginal.addressedTo(env.mail());
        List<RecipientBlocks.Block> named = found.stream().filter(b -> addressed.contains(b.address().toLowerCase(Locale.ROOT))).toList();
        return named.isEmpty() ? found : named;
    }

    /**
     * The address without the single quote a sentence put around it ("addressed to 'jane@example.com', failed"): the quote is
     * a local-part character, so ADDRESS takes the opening one in.
     */
    private static String withoutQuotes(String a, String text, int end) {
        return a.length() > 1 && a.charAt(0) == '\'' && end < text.length() && text.charAt(end) == '\'' ? a.substring(1) : a;
    }

    /**
     * Whether the address at {@code start} follows "mail from" (and a colon, blanks or a bracket): the sender, named in a
     * sentence ("they are not accepting mail from jane@example.com") or a transcript's MAIL FROM, not a failed recipient.
     */
    private static boolean afterMailFrom(String text, int start) {
        int i = start;
        while (i > 0 && " \t:<".indexOf(text.charAt(i - 1)) >= 0 && start - i < 4) {
            i--;
        }
        return i >= 9 && text.regionMatches(true, i - 9, "mail from", 0, 9);
    }

    /** Addresses anywhere in the text, in order, each with the text from where it is named. */
    private static List<RecipientBlocks.Block> inText(Pattern pattern, Set<String> exclude, Set<String> contacts, String human) {
        List<RecipientBlocks.Block> found = new ArrayList<>();
        // An address given to write to about the notice is named in a sentence too, and is not the one that failed.
        Set<String> seen = new LinkedHashSet<>(contacts);
        Matcher m = pattern.matcher(human);
        int from = 0;
        // Around each '@' only, one bracket each side for BRACKETED_ADDRESS: a regex over the whole text was quadratic on long runs of letters.
        while (AddressFinder.find(m, human, from, 1)) {
            from = m.end();
            String a = withoutQuotes(withoutAddressType(m.group(1)), human, m.end(1));
            String key = a.toLowerCase(Locale.ROOT);
            if (!exclude.contains(key) && !afterMailFrom(human, m.start(1)) && seen.add(key)) {
                int lineStart = human.lastIndexOf('\n', m.start()) + 1;
                found.add(new RecipientBlocks.Block(a, human.substring(lineStart, Math.min(human.length(), lineStart + RecipientFacts.MAX_MESSAGE_CHARS))));
            }
        }
        return found;
    }
}

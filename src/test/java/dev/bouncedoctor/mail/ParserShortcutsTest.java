package dev.bouncedoctor.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.SmtpCodes;
import dev.bouncedoctor.model.WhiteSpace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parser's speed-ups stand in for regular expressions (a split, a fold, a find from where a match can start, a
 * cheap test before the marker pattern). Each must give what the regular expression gives: checked on every line of
 * every corpus mail, so that a change to one of the patterns that its shortcut does not follow fails here.
 */
class ParserShortcutsTest {

    private static final Pattern LINE_BREAK = Pattern.compile("\\r?\\n");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private static List<String> mails;
    private static List<String> lines;

    @BeforeAll
    static void readTheCorpus() throws IOException {
        mails = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/corpus/sisimai/maildir/bsd"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                mails.add(text);
                mails.add(text.replace("\r\n", "\n").replace("\n", "\r\n"));
            }
        }
        lines = mails.stream().flatMap(m -> Stream.of(LINE_BREAK.split(m))).toList();
    }

    @Test
    void linesSplitAsTheLineBreakPatternDoes() {
        for (String text : mails) {
            assertArrayEquals(LINE_BREAK.split(text), Texts.lines(text));
        }
        for (String text : List.of("", "\n", "\r\n\r\n", "a", "a\n", "a\r\nb\r\n\n", "\na\n\nb", "a\rb\n")) {
            assertArrayEquals(LINE_BREAK.split(text), Texts.lines(text), text);
        }
    }

    @Test
    void foldingWhiteSpaceIsTheWhiteSpaceRegex() {
        for (String text : mails) {
            assertEquals(WHITE_SPACE.matcher(text).replaceAll(" "), WhiteSpace.fold(text));
        }
        for (String text : List.of("", " ", "  ", "a b", "a  b", " a\tb\r\n", "a\u000Bb\fc", "a\u00A0b")) {
            assertEquals(WHITE_SPACE.matcher(text).replaceAll(" "), WhiteSpace.fold(text), text);
        }
    }

    @Test
    void everyMarkerLinePassesTheCheapTestBeforeTheMarkerPattern() {
        int markers = 0;
        for (String line : lines) {
            if (line.length() <= 200 && ReturnedOriginal.BEGINS.matcher(line).matches()) {
                markers++;
                assertTrue(ReturnedOriginal.mayBegin(line, 0, line.length()), line);
            }
        }
        assertTrue(markers > 1000, "the corpus has marker lines: " + markers);
    }

    @Test
    void everyListFieldNamePassesTheCheapTestBeforeTheListFieldPattern() {
        int listFields = 0;
        for (String line : lines) {
            int colon = line.indexOf(':');
            for (String name : colon < 0 ? List.of(line) : List.of(line, line.substring(0, colon), line.substring(0, colon).trim())) {
                if (Envelope.LIST_FIELD.matcher(name).matches()) {
                    listFields++;
                    assertTrue(Envelope.mayBeListField(name), name);
                }
            }
        }
        assertTrue(listFields > 50, "the corpus has list fields: " + listFields);
        for (String name : List.of("List-Id", "list-unsubscribe", "LIST-POST", "Mailing-List", "X-ML-Name", "x-ml-count")) {
            assertTrue(Envelope.LIST_FIELD.matcher(name).matches() && Envelope.mayBeListField(name), name);
        }
    }

    @Test
    void addressesAndCodesAreFoundWhereTheirPatternsFindThem() {
        for (String line : lines) {
            assertEquals(firstOf(AddressFinder.ADDRESS.matcher(line)), firstFrom(AddressFinder.ADDRESS.matcher(line), line, true), line);
            for (Pattern code : List.of(SmtpCodes.ENHANCED_CODE, SmtpCodes.REPLY_CODE, SmtpCodes.CODE_PAIR)) {
                assertEquals(firstOf(code.matcher(line)), firstFrom(code.matcher(line), line, false), line);
            }
        }
    }

    @Test
    void quotedCodePairsAreFoundWhereTheirPatternFindsThem() {
        int pairs = 0;
        List<String> samples = List.of("5.1.0 - Unknown address error 550-'5.7.1 <jane@example.org> Access denied'",
                "554 4.4.7 Message expired <421 4.4.2 Connection timed out>", "550 \"5.1.1 unknown\"", "x550 '5.1.1'", "(450 4.2.0)");
        for (String line : Stream.concat(lines.stream(), samples.stream()).toList()) {
            String found = firstOf(SpokenCodes.QUOTED_PAIR.matcher(line));
            StringBuilder shortcut = new StringBuilder();
            Matcher m = SpokenCodes.QUOTED_PAIR.matcher(line);
            int from = 0;
            while (SpokenCodes.findQuotedPair(m, line, from)) {
                shortcut.append(m.start()).append(':').append(m.group()).append(' ');
                from = m.end();
            }
            assertEquals(found, shortcut.toString(), line);
            pairs += found.isEmpty() ? 0 : 1;
        }
        assertTrue(pairs > 20, "the corpus has quoted code pairs: " + pairs);
    }

    /** Every match of a plain find(), as "start:text". */
    private static String firstOf(Matcher m) {
        StringBuilder all = new StringBuilder();
        while (m.find()) {
            all.append(m.start()).append(':').append(m.group()).append(' ');
        }
        return all.toString();
    }

    /** Every match of the shortcut, from the end of the previous one, as "start:text". */
    private static String firstFrom(Matcher m, String text, boolean address) {
        StringBuilder all = new StringBuilder();
        int from = 0;
        while (address ? AddressFinder.find(m, text, from) : SmtpCodes.find(m, text, from)) {
            all.append(m.start()).append(':').append(m.group()).append(' ');
            from = m.end();
        }
        return all.toString();
    }
}

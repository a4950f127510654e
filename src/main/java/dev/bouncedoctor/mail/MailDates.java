package dev.bouncedoctor.mail;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.stream.RawField;

/** The dates a bounce carries (its Date header, a DSN's Last-Attempt-Date or Arrival-Date), as written in the wild. */
final class MailDates {

    // Group 2 the day of the week, group 3 the date and time after it.
    private static final Pattern RFC_DATE = Pattern.compile(
            "\\s*((?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}(?::\\d{2})? [+-]\\d{4}))");
    private static final List<String> WEEKDAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");

    private MailDates() {
    }

    /** The instant the value names, or null when it is blank or names none: an unreadable date is no reason to lose the recipient. */
    static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        // The common RFC 5322 form first (cheap); Mime4j's lenient parser for the rest.
        Matcher rfc = RFC_DATE.matcher(value);
        if (rfc.lookingAt()) {
            try {
                // Parsed without its weekday, which RFC_1123_DATE_TIME rejects by throwing when it is not the date's (common in
                // the wild): compared here instead, and such a date still goes to the lenient parser, as the throw sent it there.
                // At midnight the time may have been written "24:00", whose day java.time moves on after checking the weekday
                // against the date as written: then the whole text is parsed, as before.
                ZonedDateTime parsed = ZonedDateTime.parse(rfc.group(3), DateTimeFormatter.RFC_1123_DATE_TIME);
                if (rfc.group(2) == null) {
                    return parsed.toInstant();
                }
                if (parsed.toLocalTime().equals(LocalTime.MIDNIGHT)) {
                    return ZonedDateTime.parse(rfc.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                }
                if (WEEKDAYS.indexOf(rfc.group(2)) == parsed.getDayOfWeek().ordinal()) {
                    return parsed.toInstant();
                }
            } catch (DateTimeException e) {
                // fall through to the lenient parser
            }
        }
        try {
            ParsedField parsed = LenientFieldParser.getParser().parse(new RawField("Date", value), DecodeMonitor.SILENT);
            if (parsed instanceof DateTimeField dt && dt.isValidField() && dt.getDate() != null) {
                return dt.getDate().toInstant();
            }
        } catch (RuntimeException ignored) {
            // an unreadable date is no reason to lose the recipient
        }
        return null;
    }
}

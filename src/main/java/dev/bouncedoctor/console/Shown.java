package dev.bouncedoctor.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the pages write values for people; the machine form stays in each {@code <time datetime>}. */
@TemplateExtension
final class Shown {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Shown() {
    }

    /** An instant to the second, in UTC, as the pages' column headings say. */
    static String shown(Instant instant) {
        return instant == null ? "" : UTC.format(instant);
    }
}

package dev.bouncedoctor.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.bouncedoctor.check.AddressCheckService;
import dev.bouncedoctor.check.AddressReport;
import dev.bouncedoctor.diagnosis.DiagnosisService;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code check-addresses FILE…}: POST /v1/addresses/check for a file of addresses, one per line, or a CSV whose header
 * names an address column ({@code email}, {@code address}, …); prints one CSV row per address on standard output. Runs
 * inside Quarkus in command mode, with the service's database, rules and DNS settings but without the HTTP port. Exit
 * codes: 0 done, 1 the database or the rules could not be used, 2 bad usage.
 */
@ApplicationScoped
@Unremovable
public class CheckAddressesCommand implements QuarkusApplication {

    public static final String NAME = "check-addresses";

    static final String USAGE = """
            usage: java -jar quarkus-run.jar check-addresses FILE [FILE …]
              FILE: one address per line, or a CSV whose header names the address column (email, e-mail, address, email address)
              prints a CSV: address, valid, normalized, verdict, because, suggestion, malformed, suppressed, recent_failures, mail_host
            The database, rules and DNS settings are the service's: DB_URL, RULES_DIR, ADDRESSES_DNS_ENABLED, ….
            """;

    private static final Set<String> ADDRESS_COLUMNS = Set.of("email", "e-mail", "address", "email address", "e-mail address", "mail");
    /** Checked in chunks of the endpoint's largest request, each in a transaction of its own. */
    private static final int CHUNK = 1000;

    private final AddressCheckService check;

    public CheckAddressesCommand(AddressCheckService check) {
        this.check = check;
    }

    static void launch(String... args) {
        if (args.length < 2 || args[1].equals("help") || args[1].equals("--help")) {
            boolean help = args.length >= 2;
            (help ? System.out : System.err).print(USAGE);
            System.exit(help ? 0 : 2);
        }
        for (int i = 1; i < args.length; i++) {
            if (!Files.isReadable(Path.of(args[i]))) {
                System.err.println(NAME + ": cannot read " + args[i]);
                System.exit(2);
            }
        }
        CommandMode.configure();
        Quarkus.run(CheckAddressesCommand.class, CheckAddressesCommand::exit, args);
    }

    private static void exit(int code, Throwable failure) {
        if (failure != null && KeysCommand.databaseInUse(failure)) {
            System.err.println(NAME + ": the embedded database is open in the running service, and H2 lets one process at a time use it. "
                    + "Use POST /v1/addresses/check instead, or stop the service and run this again.");
            code = 1;
        } else if (failure != null) {
            System.err.println(NAME + ": the service could not start: " + CommandMode.rootMessage(failure));
            code = 1;
        }
        System.exit(code);
    }

    @Override
    public int run(String... args) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        return run(System.out, System.err, files);
    }

    int run(PrintStream out, PrintStream err, List<Path> files) {
        List<String> addresses = new ArrayList<>();
        for (Path file : files) {
            try {
                addresses.addAll(read(file));
            } catch (IOException | UncheckedIOException e) {
                err.println(NAME + ": cannot read " + file + ": " + e.getMessage());
                return 2;
            }
        }
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = CsvSchema.builder().addColumn("address").addColumn("valid").addColumn("normalized").addColumn("verdict")
                .addColumn("because").addColumn("suggestion").addColumn("malformed").addColumn("suppressed").addColumn("recent_failures")
                .addColumn("mail_host").build().withHeader();
        try (SequenceWriter rows = csv.writer(schema).writeValues(out)) {
            for (int from = 0; from < addresses.size(); from += CHUNK) {
                for (AddressReport r : check.check(addresses.subList(from, Math.min(addresses.size(), from + CHUNK)))) {
                    rows.write(List.of(r.address(), String.valueOf(r.valid()), blank(r.normalized()), r.verdict(), blank(r.because()),
                            blank(r.suggestion()), blank(r.malformed()), r.suppression() == null ? "" : blank(r.suppression().reason()),
                            String.valueOf(r.recentFailures().size()),
                            r.mailHost() == null ? "" : r.mailHost().found() == null ? "unknown" : String.valueOf(r.mailHost().found())));
                }
            }
        } catch (DiagnosisService.NoRuleSetException e) {
            err.println(NAME + ": " + e.getMessage() + " (RULES_DIR)");
            return 1;
        } catch (IOException e) {
            err.println(NAME + ": " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }

    /** One address per non-blank line, or the address column of a CSV whose first row names it. */
    static List<String> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return List.of();
        }
        CsvMapper csv = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        List<String[]> rows;
        try (MappingIterator<String[]> read = csv.readerFor(String[].class).readValues(text)) {
            rows = read.readAll();
        }
        int column = -1;
        String[] header = rows.isEmpty() ? new String[0] : rows.get(0);
        for (int i = 0; i < header.length; i++) {
            if (ADDRESS_COLUMNS.contains(header[i].strip().toLowerCase(Locale.ROOT))) {
                column = i;
                break;
            }
        }
        if (column < 0) {
            // No header naming an address: the file is one address per line, commas included (a comma is a typo to report).
            return lines.stream().map(String::strip).toList();
        }
        List<String> addresses = new ArrayList<>();
        for (String[] row : rows.subList(1, rows.size())) {
            addresses.add(column < row.length ? row[column] : "");
        }
        return addresses;
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }
}

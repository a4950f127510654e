package dev.bouncedoctor.engine;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.RuleProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.drools.template.DataProviderCompiler;
import org.drools.template.objects.ArrayDataProvider;

/**
 * Knowledge that is a table: a Drools rule template ({@code x.drt}, the shape of one rule) and its data ({@code x.csv}
 * beside it, one rule per row), expanded into DRL before the rule set is compiled, so that a support lead extends the
 * table in a spreadsheet and the rules, their checks and the phrase index treat the result as any other DRL file. The
 * template's header names the columns it uses; the CSV's first row names its columns, in any order.
 */
final class RuleTemplates {

    static final String TEMPLATE = ".drt";
    static final String DATA = ".csv";

    /**
     * @param tables each filled template's table, by the template's path: for placing a problem of the DRL it made at the
     *               row and column of the cell that wrote it
     */
    record Expanded(SortedMap<String, String> drl, List<RuleProblem> problems, java.util.Map<String, Table> tables) {

        /**
         * A case for every row with an {@value #EXAMPLE} cell: the fact it describes must make the rule of that row fire.
         * A cell that describes no fact is a problem at its row and column.
         */
        List<Scenario> examples(List<RuleProblem> problems) {
            List<Scenario> cases = new ArrayList<>();
            tables.values().stream().sorted(java.util.Comparator.comparing(Table::dataPath))
                    .forEach(table -> cases.addAll(table.examples(drl.get(table.templatePath()), problems)));
            return cases;
        }

        /**
         * The problems with those found in a template's DRL moved to the table's row and column that made the line (a
         * problem of the template's own text stays where it is).
         */
        List<RuleProblem> placed(List<RuleProblem> found) {
            List<RuleProblem> out = new ArrayList<>(found.size());
            for (RuleProblem problem : found) {
                Table table = tables.get(problem.file());
                out.add(table == null ? problem : table.place(problem, drl.get(problem.file())));
            }
            return out;
        }
    }

    /**
     * The optional column of a table whose cell describes a fact the row's rule must fire for, as {@code field=value}
     * pairs separated by ';' (fields of a delivery fact: status, provider, smtpCode, enhancedCode, message, errorCode,
     * recipient, sender), e.g. {@code provider=sendgrid; status=open}: the table tests itself.
     */
    static final String EXAMPLE = "example";

    private static final List<String> EXAMPLE_FIELDS = List.of("status", "provider", "smtpCode", "enhancedCode", "message", "errorCode", "recipient", "sender");
    private static final java.util.regex.Pattern EXAMPLE_PAIR = java.util.regex.Pattern.compile(
            "(?:^|;)\\s*(" + String.join("|", EXAMPLE_FIELDS) + ")\\s*=\\s*(.*?)\\s*(?=;\\s*(?:" + String.join("|", EXAMPLE_FIELDS) + ")\\s*=|$)");

    /** A filled template: its text, its table's path, column names and rows (with the CSV line each was read from). */
    record Table(String templatePath, List<String> template, String dataPath, List<String> names, List<String[]> rows, List<Integer> lines) {

        private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("@\\{(\\w+)\\}");

        List<Scenario> examples(String generated, List<RuleProblem> problems) {
            int column = names.indexOf(EXAMPLE);
            if (column < 0 || generated == null) {
                return List.of();
            }
            List<String> ruleNames = new ArrayList<>();
            java.util.regex.Matcher declared = java.util.regex.Pattern.compile("(?m)^rule \"([^\"]+)\"").matcher(generated);
            while (declared.find()) {
                ruleNames.add(declared.group(1));
            }
            List<Scenario> cases = new ArrayList<>();
            for (int r = 0; r < rows.size() && r < ruleNames.size(); r++) {
                String cell = column < rows.get(r).length ? rows.get(r)[column] : "";
                if (cell.isEmpty()) {
                    continue;
                }
                java.util.Map<String, String> fields = new java.util.HashMap<>();
                java.util.regex.Matcher pair = EXAMPLE_PAIR.matcher(cell);
                int end = 0;
                boolean complete = true;
                while (pair.find()) {
                    complete &= pair.start() == end;
                    fields.put(pair.group(1), pair.group(2));
                    end = pair.end();
                }
                Integer smtpCode = null;
                Integer errorCode = null;
                try {
                    smtpCode = fields.containsKey("smtpCode") ? Integer.valueOf(fields.get("smtpCode")) : null;
                    errorCode = fields.containsKey("errorCode") ? Integer.valueOf(fields.get("errorCode")) : null;
                } catch (NumberFormatException e) {
                    complete = false;
                }
                if (!complete || end != cell.length() || fields.isEmpty()) {
                    problems.add(new RuleProblem(dataPath, lines.get(r), column + 1, "row " + lines.get(r) + ", column '" + EXAMPLE
                            + "': describe a fact as field=value pairs separated by ';', with the fields " + EXAMPLE_FIELDS
                            + " (smtpCode and errorCode numbers), e.g. 'provider=sendgrid; status=open'"));
                    continue;
                }
                DeliveryFact fact = new DeliveryFact(fields.get("recipient"), fields.get("sender"), fields.get("provider"), fields.get("status"),
                        smtpCode, fields.get("enhancedCode"), fields.get("message"), errorCode, null);
                Scenario.Expectation fires = new Scenario.Expectation(null, null, null, null, null, null, null, null, null, null, ruleNames.get(r),
                        null, null, null, null, null, null, null, null);
                cases.add(new Scenario(dataPath, lines.get(r), "the example of row " + lines.get(r) + " (column '" + EXAMPLE + "')", fact, fires));
            }
            return cases;
        }

        RuleProblem place(RuleProblem problem, String generated) {
            if (generated == null || problem.line() <= 0) {
                return problem;
            }
            String[] out = generated.split("\\R", -1);
            int rule = -1;
            int declaration = 0;
            for (int i = 0; i < Math.min(problem.line(), out.length); i++) {
                if (out[i].startsWith("rule ")) {
                    rule++;
                    declaration = i + 1;
                }
            }
            int templateRule = -1;
            for (int i = 0; i < template.size(); i++) {
                if (template.get(i).startsWith("rule ")) {
                    templateRule = i + 1;
                    break;
                }
            }
            if (rule < 0 || rule >= rows.size() || templateRule < 0) {
                return problem; // before the first row's rule: the template's own header
            }
            int templateLine = templateRule + problem.line() - declaration;
            String[] row = rows.get(rule);
            String column = templateLine <= template.size() ? columnAt(template.get(templateLine - 1), row, problem.column()) : null;
            int csvColumn = column == null ? 1 : names.indexOf(column) + 1;
            return new RuleProblem(dataPath, lines.get(rule), Math.max(csvColumn, 1), problem.message() + " (row " + lines.get(rule)
                    + (column == null ? "" : ", column '" + column + "'") + ", in the rule that " + templatePath + " line " + templateLine + " makes of it)");
        }

        /** The column whose value, filled into the template's line, covers the 1-based column of the made line; or null. */
        private String columnAt(String templateLine, String[] row, int madeColumn) {
            java.util.regex.Matcher m = PLACEHOLDER.matcher(templateLine);
            int shift = 0; // how much longer the made line is than the template's, up to here
            while (m.find()) {
                int index = names.indexOf(m.group(1));
                String value = index >= 0 && index < row.length ? row[index] : "";
                int start = m.start() + shift;
                if (madeColumn - 1 >= start && madeColumn - 1 < start + Math.max(value.length(), 1)) {
                    return m.group(1);
                }
                shift += value.length() - (m.end() - m.start());
            }
            return null;
        }
    }

    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES);

    private RuleTemplates() {
    }

    /** Every DRL file as it is, and every template filled from its data under the template's own path. */
    static Expanded expand(SortedMap<String, String> files) {
        SortedMap<String, String> drl = new TreeMap<>();
        List<RuleProblem> problems = new ArrayList<>();
        java.util.Map<String, Table> tables = new java.util.HashMap<>();
        files.forEach((path, text) -> {
            if (path.endsWith(".drl")) {
                drl.put(path, text);
            } else if (path.endsWith(TEMPLATE)) {
                String dataPath = path.substring(0, path.length() - TEMPLATE.length()) + DATA;
                String data = files.get(dataPath);
                if (data == null) {
                    problems.add(new RuleProblem(path, 1, 1, "a rule template needs its table: add " + dataPath + " (one rule per row)"));
                } else {
                    fill(path, text, dataPath, data, drl, problems, tables);
                }
            } else if (path.endsWith(DATA) && !files.containsKey(path.substring(0, path.length() - DATA.length()) + TEMPLATE)) {
                problems.add(new RuleProblem(path, 1, 1, "a table needs its rule template beside it: add "
                        + path.substring(0, path.length() - DATA.length()) + TEMPLATE + ", or remove the table"));
            }
        });
        return new Expanded(drl, problems, tables);
    }

    private static void fill(String path, String template, String dataPath, String data, SortedMap<String, String> drl, List<RuleProblem> problems,
                             java.util.Map<String, Table> tables) {
        List<String> columns = header(template);
        if (columns.isEmpty()) {
            problems.add(new RuleProblem(path, 1, 1, "a rule template starts with 'template header', then the names of the table's columns it uses, one per line, then an empty line"));
            return;
        }
        List<String[]> rows;
        try (MappingIterator<String[]> read = CSV.readerFor(String[].class).readValues(data)) {
            rows = read.readAll();
        } catch (IOException | RuntimeException e) {
            problems.add(new RuleProblem(dataPath, 1, 1, "the table cannot be read as CSV: " + e.getMessage()));
            return;
        }
        if (rows.isEmpty()) {
            problems.add(new RuleProblem(dataPath, 1, 1, "the table is empty: its first row names the columns " + columns));
            return;
        }
        List<String> names = List.of(rows.get(0)).stream().map(String::strip).toList();
        int[] index = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            index[c] = names.indexOf(columns.get(c));
            if (index[c] < 0) {
                problems.add(new RuleProblem(dataPath, 1, 1, "the table has no column '" + columns.get(c) + "', which " + path
                        + " uses; its columns are " + names));
            }
        }
        if (problems.stream().anyMatch(p -> p.file().equals(dataPath))) {
            return;
        }
        String[][] cells = new String[rows.size() - 1][];
        for (int r = 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            cells[r - 1] = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                String cell = index[c] < row.length ? row[index[c]].strip() : "";
                if (cell.isEmpty() || cell.contains("\"") || cell.contains("\\") || cell.contains("\n") || cell.contains("\r")) {
                    problems.add(new RuleProblem(dataPath, r + 1, 1, "row " + (r + 1) + ", column '" + columns.get(c)
                            + "': give a value without quotes, backslashes or line breaks"));
                }
                cells[r - 1][c] = cell;
            }
        }
        if (problems.stream().anyMatch(p -> p.file().equals(dataPath))) {
            return;
        }
        // The CSV line of each row: the reader skips empty lines, and a cell holds no line break (checked above).
        List<Integer> lines = new ArrayList<>();
        List<String> dataLines = data.lines().toList();
        for (int i = 0; i < dataLines.size(); i++) {
            if (!dataLines.get(i).isBlank()) {
                lines.add(i + 1);
            }
        }
        List<String[]> rawRows = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            String[] stripped = new String[row.length];
            for (int c = 0; c < row.length; c++) {
                stripped[c] = row[c].strip();
            }
            rawRows.add(stripped);
        }
        tables.put(path, new Table(path, template.lines().toList(), dataPath, names, rawRows, lines.subList(Math.min(1, lines.size()), lines.size())));
        try {
            drl.put(path, new DataProviderCompiler().compile(new ArrayDataProvider(cells),
                    new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8))));
        } catch (RuntimeException e) {
            problems.add(new RuleProblem(path, 1, 1, "the rule template cannot be filled: " + e.getMessage()));
        }
    }

    /** The column names between 'template header' and the first empty line. */
    private static List<String> header(String template) {
        List<String> lines = template.lines().toList();
        List<String> columns = new ArrayList<>();
        if (lines.isEmpty() || !lines.get(0).strip().equals("template header")) {
            return columns;
        }
        for (int i = 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            columns.add(lines.get(i).strip());
        }
        return columns;
    }
}

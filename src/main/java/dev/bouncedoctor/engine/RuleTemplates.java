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
 * Knowledge that is a table, in two forms, both turned into DRL before the rule set is compiled, so that a support lead
 * extends the table in a spreadsheet and the rules, their checks and the phrase index treat the result as any other DRL
 * file:
 * <ul>
 * <li>a Drools rule template ({@code x.drt}, the shape of one rule) and its data beside it ({@code x.csv} or the first
 * sheet of {@code x.xlsx}, one rule per row): the template's header names the columns it uses, the table's first row
 * names its columns, in any order;</li>
 * <li>a Drools decision table ({@code .csv} or {@code .xlsx} with no template beside it, in Drools' RuleSet / RuleTable
 * layout), compiled by drools-decisiontables as it is.</li>
 * </ul>
 * A workbook is binary: the rule sources hold it as its Base64 text ({@link RuleSources#read}).
 */
final class RuleTemplates {

    static final String TEMPLATE = ".drt";
    static final String DATA = ".csv";
    static final String WORKBOOK = ".xlsx";

    /** Whether the path names a table: a template's data or a decision table. */
    static boolean isTable(String path) {
        return path.endsWith(DATA) || path.endsWith(WORKBOOK);
    }

    /** The DRL of a template-filled table or a decision table is kept under this path; a .drl file under its own. */
    static boolean isTableSource(String path) {
        return path.endsWith(TEMPLATE) || isTable(path);
    }

    /**
     * @param tables each filled template's table, by the template's path: for placing a problem of the DRL it made at the
     *               row and column of the cell that wrote it
     */
    record Expanded(SortedMap<String, String> drl, List<RuleProblem> problems, java.util.Map<String, Placer> tables) {

        /**
         * A case for every row with an {@value #EXAMPLE} cell: the fact it describes must make the rule of that row fire.
         * A cell that describes no fact is a problem at its row and column.
         */
        List<Scenario> examples(List<RuleProblem> problems) {
            List<Scenario> cases = new ArrayList<>();
            tables.values().stream().filter(Table.class::isInstance).map(Table.class::cast).sorted(java.util.Comparator.comparing(Table::dataPath))
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
                Placer table = tables.get(problem.file());
                out.add(table == null ? problem : table.place(problem, drl.get(problem.file())));
            }
            return out;
        }
    }

    /** What moves a problem of a table's made DRL to the table's own row and column. */
    sealed interface Placer permits Table, DecisionTable {
        RuleProblem place(RuleProblem problem, String generated);
    }

    /**
     * Where a row sits: its 1-based row in the CSV file or the sheet, and for a workbook the sheet's name, so a problem
     * reads "row 7, column 'reason'" or "sheet 'advice', row 7, column 'reason' (cell B7)".
     */
    static String where(String sheet, int row, String column, int columnIndex) {
        String at = "row " + row + (column == null ? "" : ", column '" + column + "'");
        return sheet == null ? at : "sheet '" + sheet + "', " + at + (columnIndex < 0 ? "" : " (cell " + columnLetters(columnIndex) + row + ")");
    }

    private static String columnLetters(int index) {
        StringBuilder letters = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return letters.toString();
    }

    /**
     * A Drools decision table's DRL: drools-decisiontables names each rule after its table and the sheet row it was made
     * from ("mine_12"), which is where a problem of that rule is put.
     */
    record DecisionTable(String path, String sheet) implements Placer {

        private static final java.util.regex.Pattern ROW_RULE = java.util.regex.Pattern.compile("^rule \"[^\"]*_(\\d+)\"");

        @Override
        public RuleProblem place(RuleProblem problem, String generated) {
            if (generated == null || problem.line() <= 0) {
                return problem;
            }
            String[] out = generated.split("\\R", -1);
            for (int i = Math.min(problem.line(), out.length) - 1; i >= 0; i--) {
                java.util.regex.Matcher rule = ROW_RULE.matcher(out[i]);
                if (rule.find()) {
                    int row = Integer.parseInt(rule.group(1));
                    return new RuleProblem(path, row, 1, problem.message() + " (" + where(sheet, row, null, -1)
                            + " of the decision table, line " + (problem.line() - i) + " of the rule made of it)");
                }
            }
            return new RuleProblem(path, 1, 1, problem.message() + " (in the decision table's RuleSet / Import / Variables part)");
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
    record Table(String templatePath, List<String> template, String dataPath, String sheet, List<String> names, List<String[]> rows,
                 List<Integer> lines) implements Placer {

        private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("@\\{(\\w+)(?:\\.[^}]*)?\\}");

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
                    problems.add(new RuleProblem(dataPath, lines.get(r), column + 1, where(sheet, lines.get(r), EXAMPLE, column)
                            + ": describe a fact as field=value pairs separated by ';', with the fields " + EXAMPLE_FIELDS
                            + " (smtpCode and errorCode numbers), e.g. 'provider=sendgrid; status=open'"));
                    continue;
                }
                DeliveryFact fact = new DeliveryFact(fields.get("recipient"), fields.get("sender"), fields.get("provider"), fields.get("status"),
                        smtpCode, fields.get("enhancedCode"), fields.get("message"), errorCode, null);
                Scenario.Expectation fires = new Scenario.Expectation(null, null, null, null, null, null, null, null, null, null, ruleNames.get(r),
                        null, null, null, null, null, null, null, null);
                cases.add(new Scenario(dataPath, lines.get(r), "the example of " + where(sheet, lines.get(r), null, -1), fact, fires));
            }
            return cases;
        }

        @Override
        public RuleProblem place(RuleProblem problem, String generated) {
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
            int index = column == null ? -1 : names.indexOf(column);
            return new RuleProblem(dataPath, lines.get(rule), Math.max(index + 1, 1), problem.message() + " (" + where(sheet, lines.get(rule), column, index)
                    + ", in the rule that " + templatePath + " line " + templateLine + " makes of it)");
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

    /**
     * A table's cells as read: its non-empty rows, each row's 1-based number in the file or sheet, and the sheet's name
     * for a workbook (null for CSV).
     */
    record Grid(List<String[]> rows, List<Integer> lines, String sheet) {

        /** Whether it is laid out as a Drools decision table: a RuleSet or RuleTable keyword in its first column. */
        boolean isDecisionTable() {
            return rows.stream().anyMatch(row -> row.length > 0 && (row[0].strip().equals("RuleSet") || row[0].strip().startsWith("RuleTable")));
        }
    }

    /** Every DRL file as it is, every template filled from its table, and every decision table compiled, under their own paths. */
    static Expanded expand(SortedMap<String, String> files) {
        SortedMap<String, String> drl = new TreeMap<>();
        List<RuleProblem> problems = new ArrayList<>();
        java.util.Map<String, Placer> tables = new java.util.HashMap<>();
        files.forEach((path, text) -> {
            if (path.endsWith(".drl")) {
                drl.put(path, text);
            } else if (path.endsWith(TEMPLATE)) {
                String base = path.substring(0, path.length() - TEMPLATE.length());
                List<String> data = List.of(base + DATA, base + WORKBOOK).stream().filter(files::containsKey).toList();
                if (data.isEmpty()) {
                    problems.add(new RuleProblem(path, 1, 1, "a rule template needs its table: add " + base + DATA + " or " + base + WORKBOOK + " (one rule per row)"));
                } else if (data.size() > 1) {
                    problems.add(new RuleProblem(path, 1, 1, "a rule template takes one table, but both " + data + " are there: remove one"));
                } else {
                    fill(path, text, data.get(0), files.get(data.get(0)), drl, problems, tables);
                }
            } else if (isTable(path) && !files.containsKey(stem(path) + TEMPLATE)) {
                decisionTable(path, text, drl, problems, tables);
            }
        });
        return new Expanded(drl, problems, tables);
    }

    private static String stem(String tablePath) {
        return tablePath.substring(0, tablePath.lastIndexOf('.'));
    }

    /** A table's cells, from CSV text or a workbook's Base64; null after adding the problem that keeps it from being read. */
    private static Grid read(String path, String data, List<RuleProblem> problems) {
        if (path.endsWith(WORKBOOK)) {
            return readWorkbook(path, data, problems);
        }
        List<String[]> rows;
        try (MappingIterator<String[]> read = CSV.readerFor(String[].class).readValues(data)) {
            rows = read.readAll();
        } catch (IOException | RuntimeException e) {
            problems.add(new RuleProblem(path, 1, 1, "the table cannot be read as CSV: " + e.getMessage()));
            return null;
        }
        // The CSV line of each row: the reader skips empty lines; a cell with a line break is refused before it counts.
        List<Integer> lines = new ArrayList<>();
        List<String> dataLines = data.lines().toList();
        for (int i = 0; i < dataLines.size(); i++) {
            if (!dataLines.get(i).isBlank()) {
                lines.add(i + 1);
            }
        }
        List<String[]> stripped = new ArrayList<>();
        for (String[] row : rows) {
            String[] cells = new String[row.length];
            for (int c = 0; c < row.length; c++) {
                cells[c] = row[c].strip();
            }
            stripped.add(cells);
        }
        return new Grid(stripped, lines.subList(0, Math.min(lines.size(), stripped.size())), null);
    }

    /** The first sheet of a workbook, read by drools-decisiontables' own parser (the one its decision tables are read with). */
    private static Grid readWorkbook(String path, String base64, List<RuleProblem> problems) {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            problems.add(new RuleProblem(path, 1, 1, "the workbook did not arrive whole (its Base64 text is broken): upload the .xlsx file again"));
            return null;
        }
        FirstSheet sheet = new FirstSheet();
        try (org.apache.poi.ss.usermodel.Workbook book = org.apache.poi.ss.usermodel.WorkbookFactory.create(new ByteArrayInputStream(bytes))) {
            sheet.name = book.getNumberOfSheets() == 0 ? "" : book.getSheetAt(0).getSheetName();
            new org.drools.decisiontable.parser.xls.ExcelParser(sheet).parseWorkbook(book);
        } catch (IOException | RuntimeException e) {
            problems.add(new RuleProblem(path, 1, 1, "the file cannot be read as an Excel workbook (.xlsx): " + e.getMessage()));
            return null;
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        sheet.cells.forEach((row, cells) -> {
            if (cells.values().stream().anyMatch(v -> !v.isBlank())) {
                String[] values = new String[cells.lastKey() + 1];
                java.util.Arrays.fill(values, "");
                cells.forEach((column, value) -> values[column] = value.strip());
                rows.add(values);
                lines.add(row + 1);
            }
        });
        return new Grid(rows, lines, sheet.name == null ? "" : sheet.name);
    }

    /** Collects the cells of a workbook's first sheet, by 0-based row and column. */
    private static final class FirstSheet implements org.drools.template.parser.DataListener {
        private String name;
        private boolean done;
        private final SortedMap<Integer, SortedMap<Integer, String>> cells = new TreeMap<>();

        @Override
        public void startSheet(String sheetName) {
            if (name == null) {
                name = sheetName;
            }
        }

        @Override
        public void finishSheet() {
            done = true;
        }

        @Override
        public void newRow(int rowNumber, int columns) {
        }

        @Override
        public void newCell(int row, int column, String value, int mergedColStart) {
            if (!done && value != null) {
                cells.computeIfAbsent(row, r -> new TreeMap<>()).put(column, value);
            }
        }
    }

    /** A table with no template beside it: a Drools decision table, compiled by drools-decisiontables as it is. */
    private static void decisionTable(String path, String data, SortedMap<String, String> drl, List<RuleProblem> problems,
                                      java.util.Map<String, Placer> tables) {
        Grid grid = read(path, data, problems);
        if (grid == null) {
            return;
        }
        if (!grid.isDecisionTable()) {
            problems.add(new RuleProblem(path, 1, 1, "a table needs its rule template beside it: add " + stem(path) + TEMPLATE
                    + "; or lay it out as a Drools decision table (RuleSet, Import, RuleTable …); or remove it"));
            return;
        }
        try {
            org.drools.decisiontable.SpreadsheetCompiler compiler = new org.drools.decisiontable.SpreadsheetCompiler();
            String made = path.endsWith(WORKBOOK)
                    ? compiler.compile(new ByteArrayInputStream(java.util.Base64.getMimeDecoder().decode(data)), org.drools.decisiontable.InputType.XLS)
                    : compiler.compile(new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)), org.drools.decisiontable.InputType.CSV);
            drl.put(path, made);
            tables.put(path, new DecisionTable(path, grid.sheet()));
        } catch (RuntimeException e) {
            problems.add(new RuleProblem(path, 1, 1, "the decision table cannot be read: " + e.getMessage()));
        }
    }

    private static void fill(String path, String template, String dataPath, String data, SortedMap<String, String> drl, List<RuleProblem> problems,
                             java.util.Map<String, Placer> tables) {
        List<String> columns = header(template);
        if (columns.isEmpty()) {
            problems.add(new RuleProblem(path, 1, 1, "a rule template starts with 'template header', then the names of the table's columns it uses, one per line, then an empty line"));
            return;
        }
        List<RuleProblem> expressions = expressions(path, template, columns);
        if (!expressions.isEmpty()) {
            problems.addAll(expressions);
            return;
        }
        Grid grid = read(dataPath, data, problems);
        if (grid == null) {
            return;
        }
        List<String[]> rows = grid.rows();
        if (rows.isEmpty()) {
            problems.add(new RuleProblem(dataPath, 1, 1, "the table is empty: its first row names the columns " + columns));
            return;
        }
        List<String> names = List.of(rows.get(0)).stream().map(String::strip).toList();
        int[] index = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            index[c] = names.indexOf(columns.get(c));
            if (index[c] < 0) {
                problems.add(new RuleProblem(dataPath, grid.lines().get(0), 1, "the table has no column '" + columns.get(c) + "', which " + path
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
                String cell = index[c] < row.length ? row[index[c]] : "";
                if (cell.isEmpty() || cell.contains("\"") || cell.contains("\\") || cell.contains("\n") || cell.contains("\r")) {
                    problems.add(new RuleProblem(dataPath, grid.lines().get(r), index[c] + 1, where(grid.sheet(), grid.lines().get(r), columns.get(c), index[c])
                            + ": give a value without quotes, backslashes or line breaks"));
                }
                cells[r - 1][c] = cell;
            }
        }
        if (problems.stream().anyMatch(p -> p.file().equals(dataPath))) {
            return;
        }
        tables.put(path, new Table(path, template.lines().toList(), dataPath, grid.sheet(), names, rows.subList(1, rows.size()),
                grid.lines().subList(1, grid.lines().size())));
        try {
            drl.put(path, new DataProviderCompiler().compile(new ArrayDataProvider(cells),
                    new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8))));
        } catch (RuntimeException e) {
            problems.add(new RuleProblem(path, 1, 1, "the rule template cannot be filled: " + e.getMessage()));
        }
    }

    /** Any MVEL template tag: "@{…}", "@if{…}", "@foreach{…}", "@code{…}", …. */
    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("@(\\w*)\\{");
    /** The tags a template may hold: a column, or a column whose list separator is replaced by a literal. */
    private static final java.util.regex.Pattern ALLOWED_TAG = java.util.regex.Pattern.compile(
            "@\\{(\\w+)}|@\\{(\\w+)\\.replace\\('[^'\\\\]*', '[^'\\\\]*'\\)}");

    /**
     * drools-templates fills a template with MVEL, which runs whatever expression a tag holds, at load and before the
     * rule policy reads a line of the DRL it makes: a tag is therefore only a column of the header ("@{reason}"), or
     * one with its separator replaced by a literal ("@{phrases.replace(' | ', '" || text contains "')}"). Any other
     * tag is refused at its line.
     */
    private static List<RuleProblem> expressions(String path, String template, List<String> columns) {
        List<RuleProblem> problems = new ArrayList<>();
        List<String> lines = template.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            java.util.regex.Matcher tag = TAG.matcher(lines.get(i));
            while (tag.find()) {
                java.util.regex.Matcher allowed = ALLOWED_TAG.matcher(lines.get(i)).region(tag.start(), lines.get(i).length());
                String column = allowed.lookingAt() ? (allowed.group(1) != null ? allowed.group(1) : allowed.group(2)) : null;
                if (column == null || !columns.contains(column)) {
                    problems.add(new RuleProblem(path, i + 1, tag.start() + 1, column == null
                            ? "a template fills in columns only: write @{column} (or @{column.replace('a', 'b')} with two literals); no other expression runs"
                            : "'" + column + "' is no column of the template's header " + columns));
                }
            }
        }
        return problems;
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

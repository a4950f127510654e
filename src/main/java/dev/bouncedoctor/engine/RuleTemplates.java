package dev.bouncedoctor.engine;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
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

    record Expanded(SortedMap<String, String> drl, List<RuleProblem> problems) {
    }

    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES);

    private RuleTemplates() {
    }

    /** Every DRL file as it is, and every template filled from its data under the template's own path. */
    static Expanded expand(SortedMap<String, String> files) {
        SortedMap<String, String> drl = new TreeMap<>();
        List<RuleProblem> problems = new ArrayList<>();
        files.forEach((path, text) -> {
            if (path.endsWith(".drl")) {
                drl.put(path, text);
            } else if (path.endsWith(TEMPLATE)) {
                String dataPath = path.substring(0, path.length() - TEMPLATE.length()) + DATA;
                String data = files.get(dataPath);
                if (data == null) {
                    problems.add(new RuleProblem(path, 1, 1, "a rule template needs its table: add " + dataPath + " (one rule per row)"));
                } else {
                    fill(path, text, dataPath, data, drl, problems);
                }
            } else if (path.endsWith(DATA) && !files.containsKey(path.substring(0, path.length() - DATA.length()) + TEMPLATE)) {
                problems.add(new RuleProblem(path, 1, 1, "a table needs its rule template beside it: add "
                        + path.substring(0, path.length() - DATA.length()) + TEMPLATE + ", or remove the table"));
            }
        });
        return new Expanded(drl, problems);
    }

    private static void fill(String path, String template, String dataPath, String data, SortedMap<String, String> drl, List<RuleProblem> problems) {
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

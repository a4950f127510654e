package dev.bouncedoctor.testing;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** Excel workbooks for the tests of tables a support lead keeps in a spreadsheet: one sheet holding a CSV's cells. */
public final class Workbooks {

    private Workbooks() {
    }

    /** The .xlsx file's bytes. */
    public static byte[] of(String sheetName, String csv) {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream();
             MappingIterator<String[]> rows = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerFor(String[].class).readValues(csv)) {
            Sheet sheet = book.createSheet(sheetName);
            int r = 0;
            for (String[] cells : rows.readAll()) {
                Row row = sheet.createRow(r++);
                for (int c = 0; c < cells.length; c++) {
                    row.createCell(c).setCellValue(cells[c]);
                }
            }
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As the rule sources hold a workbook: its Base64 text. */
    public static String base64(String sheetName, String csv) {
        return Base64.getEncoder().encodeToString(of(sheetName, csv));
    }
}

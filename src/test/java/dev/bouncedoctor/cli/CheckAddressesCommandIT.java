package dev.bouncedoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's check-addresses command on a small file, as a support lead would run it. Run by failsafe after the jar is built. */
class CheckAddressesCommandIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    @Test
    void aFileOfAddressesGetsACsvOfVerdicts(@TempDir Path workDir) throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the jar is built by the package phase");
        Path file = workDir.resolve("contacts.csv");
        Files.writeString(file, "name,Email\nJane,jane@gmial.com\nBad,\"jane@gmail,com\"\nFine,new.customer@gmail.com\n", StandardCharsets.UTF_8);
        Path lines = workDir.resolve("addresses.txt");
        Files.writeString(lines, "jane@gmail,com\n\njane@example.org\n", StandardCharsets.UTF_8);

        // Both files in one run: each start of the jar compiles the rules.
        List<String> out = run(workDir, file, lines);
        assertEquals("address,valid,normalized,verdict,because,suggestion,malformed,suppressed,recent_failures,mail_host", out.get(0));
        assertEquals(6, out.size(), out.toString());
        assertTrue(out.get(1).startsWith("jane@gmial.com,true,jane@gmial.com,send-with-care,") && out.get(1).contains(",jane@gmail.com,"), out.get(1));
        assertTrue(out.get(2).startsWith("\"jane@gmail,com\",false,,do-not-send,"), out.get(2));
        assertTrue(out.get(3).startsWith("new.customer@gmail.com,true,new.customer@gmail.com,send,"), out.get(3));

        // One address per line: the comma is part of the address, and reported.
        assertTrue(out.get(4).startsWith("\"jane@gmail,com\",false,,do-not-send,"), out.get(4));
        assertTrue(out.get(5).startsWith("jane@example.org,true,jane@example.org,send,"), out.get(5));
    }

    private static List<String> run(Path workDir, Path... files) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "check-addresses"));
        for (Path file : files) {
            command.add(file.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("OIDC_") || name.startsWith("SECURITY_")
                || name.startsWith("ADDRESSES_"));
        builder.environment().put("RULES_DIR", Path.of("rules").toAbsolutePath().toString());
        Path out = workDir.resolve("out.csv");
        Path err = workDir.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the command finishes");
        assertEquals(0, process.exitValue(), Files.readString(err));
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }
}

package dev.bouncedoctor.maillog;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DB_KIND names the kind the jar was built for, or is left out; any other value stops the start and says which build to use. */
class DatabaseKindCheckTest {

    @Test
    void theJarsOwnKindOrNoneStarts() {
        assertDoesNotThrow(() -> DatabaseKindCheck.check("h2", null));
        assertDoesNotThrow(() -> DatabaseKindCheck.check("h2", ""));
        assertDoesNotThrow(() -> DatabaseKindCheck.check("h2", "h2"));
        assertDoesNotThrow(() -> DatabaseKindCheck.check("postgresql", "postgresql"));
        assertDoesNotThrow(() -> DatabaseKindCheck.check("postgresql", " postgresql "));
    }

    @Test
    void anotherKindNamesTheBuildToUse() {
        String message = assertThrows(IllegalStateException.class, () -> DatabaseKindCheck.check("h2", "postgresql")).getMessage();
        assertTrue(message.contains("built for h2") && message.contains("-Dquarkus.datasource.db-kind=postgresql"), message);
        message = assertThrows(IllegalStateException.class, () -> DatabaseKindCheck.check("postgresql", "h2")).getMessage();
        assertTrue(message.contains("built for postgresql") && message.contains("'./mvnw package'"), message);
        message = assertThrows(IllegalStateException.class, () -> DatabaseKindCheck.check("h2", "mysql")).getMessage();
        assertTrue(message.contains("'mysql'") && message.contains("h2 (the default build) and postgresql"), message);
    }
}

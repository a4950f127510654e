package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.RequestBudget;
import dev.bouncedoctor.model.WorkAbandonedException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A rule set that works too long on one fact is stopped between two firings, and the fact gets a defect, not a hung
 * thread; and work whose request is over (its time, its client) stops there too.
 */
class DiagnosisTimeLimitTest {

    @Test
    void rulesThatRunPastTheTimeLimitAreStopped() throws Exception {
        // Re-triggers itself until the firing limit stops it: with the time limit lowered to 1 ms, the clock stops it first.
        String slow = """
                package bouncedoctor.symptoms;
                import dev.bouncedoctor.model.RecipientVerdict;

                rule "slow loop"
                    ruleflow-group "symptoms"
                when
                    $v : RecipientVerdict(logStatus != "pending")
                then
                    modify($v) { setLogStatus("dropped") }
                end
                """;
        Map<String, String> files = new TreeMap<>(Map.of("symptoms/slow.drl", slow,
                RuleSources.VOCABULARY, Files.readString(Path.of("rules", RuleSources.VOCABULARY))));
        RuleSources sources = new RuleSources(new TreeMap<>(files));
        RuleCompiler.Result compiled = new RuleCompiler().compile(sources.drl());
        assertEquals(List.of(), compiled.problems());
        RuleSet rules = TestRuleSets.of(sources, compiled);
        DeliveryFact fact = new DeliveryFact(null, null, null, "bounced", 550, null, null, null, null);
        RuleSetDefectException looping = assertThrows(RuleSetDefectException.Looping.class, () -> rules.diagnose(new DiagnosisInput(fact, null, null)));
        assertTrue(looping.getMessage().contains("fired 10000 times"), looping.getMessage());
        System.setProperty(DiagnosisEngine.MAX_MILLIS_PROPERTY, "1");
        try {
            RuleSetDefectException e = assertThrows(RuleSetDefectException.TooSlow.class, () -> rules.diagnose(new DiagnosisInput(fact, null, null)));
            assertTrue(e.getMessage().contains("worked over 1 ms") && e.getMessage().contains("slow loop"), e.getMessage());
        } finally {
            System.clearProperty(DiagnosisEngine.MAX_MILLIS_PROPERTY);
        }

        // The request's own budget: abandoned (its client left), the same loop stops at its next check, and the stop
        // leaves the engine as it is, not as a defect of the rules.
        try (RequestBudget.Scope scope = RequestBudget.open(Duration.ofHours(1))) {
            scope.budget().abandon(WorkAbandonedException.Why.CLIENT_LEFT);
            WorkAbandonedException e = assertThrows(WorkAbandonedException.class, () -> rules.diagnose(new DiagnosisInput(fact, null, null)));
            assertEquals(WorkAbandonedException.Why.CLIENT_LEFT, e.why());
        }
        // And past its time.
        try (RequestBudget.Scope scope = RequestBudget.open(Duration.ofMillis(1))) {
            Thread.sleep(5);
            WorkAbandonedException e = assertThrows(WorkAbandonedException.class, () -> rules.diagnose(new DiagnosisInput(fact, null, null)));
            assertEquals(WorkAbandonedException.Why.TOO_SLOW, e.why());
            assertTrue(e.getMessage().contains("REQUEST_MAX_SECONDS"), e.getMessage());
        }
        // Outside a request there is no budget: the loop runs to the firing limit as before.
        assertThrows(RuleSetDefectException.Looping.class, () -> rules.diagnose(new DiagnosisInput(fact, null, null)));
    }
}

package dev.bouncedoctor.console;

import dev.bouncedoctor.maillog.EventView;
import dev.bouncedoctor.maillog.RecipientDetail;
import dev.bouncedoctor.maillog.RecipientView;
import dev.bouncedoctor.maillog.RemovalView;
import dev.bouncedoctor.maillog.SenderReport;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.preview.RulePreview;
import dev.bouncedoctor.rules.RuleRegistry;
import io.quarkus.qute.TemplateData;

/**
 * The types the console's shared fragments (layout, report, problems, …) read. Those fragments are included by
 * several pages, so Qute cannot check their expressions against one page's parameters; it needs resolvers for
 * these types made at build time instead. Declared here so that the model and services need nothing of Qute.
 */
@TemplateData(target = Diagnosis.class)
@TemplateData(target = InvalidFactException.FieldError.class)
@TemplateData(target = EventView.class)
@TemplateData(target = RecipientView.class)
@TemplateData(target = RecipientDetail.class)
@TemplateData(target = RemovalView.class)
@TemplateData(target = SenderReport.class)
@TemplateData(target = dev.bouncedoctor.model.SenderFlag.class)
@TemplateData(target = RuleProblem.class)
@TemplateData(target = RuleRegistry.LoadReport.class)
@TemplateData(target = RulePreview.class)
@TemplateData(target = RulePreview.Section.class)
@TemplateData(target = RulePreview.Change.class)
@TemplateData(target = RulePreview.Side.class)
final class TemplateTypes {

    private TemplateTypes() {
    }
}

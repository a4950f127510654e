package dev.bouncedoctor.model;

/**
 * What the bounce mail says about one recipient beyond the {@code DeliveryFact}: inserted next to the
 * fact as a context fact, so that rules can match the remote MTA, the DSN action, the ARF
 * feedback type or the SMTP command that was refused. Fields the mail does not carry are null.
 *
 * @param format         which structure the recipient was found in: {@code delivery-status} (RFC 3464),
 *                       {@code feedback-report} (RFC 5965 ARF), {@code json-notification} (a provider's event
 *                       mailed as JSON), {@code auto-reply} (RFC 3834), {@code plain-text} (a bounce that follows
 *                       no standard) or {@code quota-warning} (a mail store's notice to a mailbox's owner that it is
 *                       nearly full)
 * @param action         the DSN Action field, lower case ({@code failed}, {@code delayed}, …)
 * @param statusField    the DSN Status field as written
 * @param diagnosticType the type of the Diagnostic-Code ({@code smtp}, {@code x-postfix}, …)
 * @param remoteMta      the DSN Remote-MTA (without its type), or the host a plain-text bounce names
 * @param reportingMta   the DSN Reporting-MTA
 * @param feedbackType   the ARF Feedback-Type, lower case
 * @param subject        the bounce mail's subject, decoded
 * @param from           the bounce mail's From address
 * @param smtpCommand    the SMTP command the remote server was answering when it refused, upper case and without its
 *                       argument ({@code RCPT}, {@code DATA} (also for the end of the data), {@code MAIL}, {@code EHLO},
 *                       {@code HELO}, {@code STARTTLS}, …), as the mail says it: the reporting MTA's own words (Postfix
 *                       "in reply to RCPT TO command") or its session transcript ({@code >>> RCPT TO:<…>}); null when
 *                       the mail does not say
 */
public record BounceContext(String format, String action, String statusField, String diagnosticType, String remoteMta,
                            String reportingMta, String feedbackType, String subject, String from, String smtpCommand) {
}

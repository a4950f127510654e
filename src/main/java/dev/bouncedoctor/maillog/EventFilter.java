package dev.bouncedoctor.maillog;

/** GET /v1/events' query parameters, as given: {@link EventLogService} checks them. */
public record EventFilter(String recipient, String sender, String status, String undelivered, String from, String to,
                          String page, String size) {
}

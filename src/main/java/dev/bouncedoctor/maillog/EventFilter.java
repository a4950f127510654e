package dev.bouncedoctor.maillog;

/** GET /v1/events' query parameters, as given: {@link EventLogService} checks them. */
public record EventFilter(String recipient, String sender, String status, Boolean undelivered, String from, String to,
                          Integer page, Integer size) {
}

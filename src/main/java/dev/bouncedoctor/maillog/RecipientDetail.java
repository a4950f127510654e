package dev.bouncedoctor.maillog;

import java.util.List;

/** A recipient's state and its latest events, newest first. */
public record RecipientDetail(RecipientView recipient, List<EventView> recentEvents) {
}

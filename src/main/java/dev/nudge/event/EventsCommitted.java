package dev.nudge.event;

/**
 * Fired (as a CDI event) right after a transaction that appended events has committed, on the
 * committing thread, so readers of the outbox such as the webhook fan-out can start at once instead
 * of at their next poll. It says only that there is something new; observers must return quickly.
 */
public record EventsCommitted() {}

package dev.nudge.event;

import java.util.Set;

/**
 * Fired (as a CDI event) right after a transaction that appended events has committed, on the
 * committing thread, so readers of the outbox such as the webhook fan-out can start at once instead
 * of at their next poll. It says only that there is something new, and for which tenants (a reader
 * with nothing to do for them, such as the fan-out of a tenant without endpoints, stays asleep);
 * observers must return quickly.
 */
public record EventsCommitted(Set<String> tenantIds) {}

package dev.nudge.common.time;

/**
 * Fired (as a CDI event, inside the transaction) when a test-mode tenant's clock moves, so that
 * work due on that clock, such as webhook retries, is looked for at once.
 */
public record TenantClockMoved(String tenantId) {}

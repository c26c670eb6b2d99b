package dev.nudge.event;

/**
 * Event data already serialized, for writers that put one serialized resource into several events
 * (the scheduler's batches) instead of serializing it once per event.
 */
public record RawJson(String json) {}

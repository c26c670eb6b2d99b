package dev.nudge.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Rows of another feature that reference events or age with them (webhook deliveries and their
 * attempts): retention removes them before the events they point at, in the same transaction, and
 * lets them drop their own rows past the retention period.
 */
public interface EventReferences {

  /**
   * Removes the rows that reference these events (the caller removes the events next); returns how
   * many.
   */
  int removeFor(Connection c, List<String> eventIds) throws SQLException;

  /**
   * Removes up to {@code limit} of its own rows recorded before {@code cutoff}; returns how many.
   */
  int removeBefore(Connection c, Instant cutoff, int limit) throws SQLException;
}

package dev.nudge.schedule;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * How a state machine plugs into the timer engine. The engine knows no machine: it claims due rows
 * of {@link #table()}, asks the machine what each timer does, writes the outcomes under a savepoint
 * and handles failures; each machine implements this in its own package as a CDI bean.
 *
 * <p>The table keeps its subjects' next timer on the subject row itself, so a claim reads and locks
 * the subject in one statement and a transition takes one lock. It must have the columns {@code id
 * text}, {@code tenant_id text}, {@code timer_at timestamptz} (null: no timer), {@code test_clock
 * boolean} (the tenant runs on a test clock, so only the clock's advance fires it) and {@code
 * timer_failures int} (consecutive failures, kept by the engine), with the indexes {@code
 * (timer_at) where timer_at is not null and not test_clock}, {@code (tenant_id, timer_at) where
 * timer_at is not null and test_clock} and {@code (id) where timer_failures > 0}.
 *
 * @param <R> a claimed row
 * @param <F> a fired timer's outcome, computed in memory and not yet written
 */
public interface TimerMachine<R, F extends TimerMachine.Fired> {

  /** The machine's name, for metrics and logs: {@code trade}, {@code complaint}. */
  String name();

  /** The table of the machine's subjects. */
  String table();

  /** The select list of a row, as {@link #read} reads it. */
  String columns();

  R read(ResultSet rs) throws SQLException;

  String id(R row);

  /**
   * Reads, once for the whole batch, whatever deciding needs besides the rows (parties, texts), and
   * returns the decider. Must not write.
   */
  Decider<R, F> prepare(Connection c, List<R> rows) throws SQLException;

  /**
   * Writes the outcomes set-based, one statement per table, each subject row only if it still has
   * the version it was read with. Throws if any row was not written (the engine then rolls the
   * batch back to its savepoint and retries it in halves).
   */
  void write(Connection c, List<F> fired) throws SQLException;

  /** Decides one row's timer. Pure but for the batch's lookups; throwing marks the row failed. */
  interface Decider<R, F> {
    Decision<F> decide(R row, Instant now);
  }

  /** What one claimed row's timer does. */
  sealed interface Decision<F> {}

  /** The timer fired; {@code fired} is to be written. */
  record Fire<F>(F fired) implements Decision<F> {}

  /** Nothing was due by now (a stale stored timer): store {@code timerAt} (null: none) instead. */
  record Retime<F>(Instant timerAt) implements Decision<F> {}

  /** A fired timer, as the engine sees it. */
  interface Fired {
    String subjectId();

    /** When the timer was due: effects are dated then, whenever it ran. */
    Instant dueAt();

    String fromState();

    String toState();
  }

  /**
   * Fewer subject rows were written than were locked and read: a machine's bug, so nothing of the
   * batch is written. Machines throw it from {@link #write}.
   */
  final class RowsNotWritten extends SQLException {
    public RowsNotWritten(String table, int expected, int written) {
      super("expected to write " + expected + " " + table + " rows, wrote " + written);
    }
  }
}

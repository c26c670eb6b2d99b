package dev.nudge.common.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC on the current transaction's connection: within a JTA transaction the pool hands the
 * same connection to every user; within a plain one, {@link #transaction} and {@link #call} run on
 * the connection it holds open on this thread. SQL failures leave as unchecked exceptions with the
 * {@link SQLException} as cause, which the problem mapper reads.
 */
@ApplicationScoped
public class Jdbc {

  /** Work on a connection; may throw {@link SQLException}. */
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** An SQL failure, unchecked. */
  public static final class Failure extends RuntimeException {
    public Failure(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** What runs once the plain JDBC transaction open on this thread commits (none: null). */
  private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

  /** The connection of the plain JDBC transaction open on this thread (none: null). */
  private static final ThreadLocal<Connection> OPEN = new ThreadLocal<>();

  private final AgroalDataSource db;
  private final TransactionSynchronizationRegistry transactions;

  /**
   * Runs {@code task} after the plain JDBC transaction of {@link #transaction} open on this thread
   * commits (never if it rolls back); false when this thread has none open.
   */
  public static boolean afterCommit(Runnable task) {
    List<Runnable> tasks = AFTER_COMMIT.get();
    if (tasks == null) {
      return false;
    }
    tasks.add(task);
    return true;
  }

  public Jdbc(AgroalDataSource db, TransactionSynchronizationRegistry transactions) {
    this.db = db;
    this.transactions = transactions;
  }

  /**
   * Work in one database transaction on one connection: the caller's JTA transaction if one is
   * running, else a plain JDBC transaction, committed when the work returns and rolled back when it
   * throws. A request that only writes through JDBC needs no transaction manager (which costs about
   * a fifth of such a request's CPU). Work inside the work joins its plain transaction (as the
   * endpoint's writes join the one its {@code Idempotency-Key} is checked in).
   */
  public <T> T transaction(Work<T> work) {
    if (transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
      return call(work);
    }
    Connection open = OPEN.get();
    if (open != null) {
      try {
        return work.run(open);
      } catch (SQLException e) {
        throw new Failure(e);
      }
    }
    List<Runnable> outer = AFTER_COMMIT.get();
    List<Runnable> tasks = new ArrayList<>(1);
    AFTER_COMMIT.set(tasks);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      OPEN.set(c);
      try {
        T result = work.run(c);
        c.commit();
        OPEN.remove();
        tasks.forEach(Runnable::run);
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        OPEN.remove();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new Failure(e);
    } finally {
      AFTER_COMMIT.set(outer);
    }
  }

  /**
   * Work on a connection: in the caller's JTA transaction if one is running; else on the connection
   * of the plain JDBC transaction open on this thread, if there is one; else on a connection of its
   * own, in autocommit.
   */
  public <T> T call(Work<T> work) {
    Connection open = OPEN.get();
    if (open != null && transactions.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
      try {
        return work.run(open);
      } catch (SQLException e) {
        throw new Failure(e);
      }
    }
    try (Connection c = db.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new Failure(e);
    }
  }
}

package dev.nudge.common.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Plain JDBC on the current transaction's connection (the pool hands the same connection to every
 * user within one transaction, Hibernate included). SQL failures leave as unchecked exceptions with
 * the {@link SQLException} as cause, which the problem mapper reads.
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

  private final AgroalDataSource db;

  public Jdbc(AgroalDataSource db) {
    this.db = db;
  }

  public <T> T call(Work<T> work) {
    try (Connection c = db.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new Failure(e);
    }
  }
}

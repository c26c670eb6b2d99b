package dev.nudge.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures mean that the database is away (503) and which are something else (500, 4xx). */
class DatabaseUnavailableTest {

  @Test
  void connectionShutdownStartupAndCapacityFailuresAreUnavailability() {
    for (String state : new String[] {"08001", "08006", "57P01", "57P02", "57P03", "53300"}) {
      assertThat(DatabaseUnavailable.causedBy(new SQLException("x", state))).as(state).isTrue();
    }
    assertThat(DatabaseUnavailable.causedBy(new SQLException("Sorry, acquisition timeout!")))
        .isTrue();
  }

  @Test
  void theCauseIsFoundThroughWrappers() {
    Exception wrapped =
        new IllegalStateException(
            "timer work failed",
            new dev.nudge.common.db.Jdbc.Failure(
                new SQLException("terminating connection due to administrator command", "57P01")));
    assertThat(DatabaseUnavailable.causedBy(wrapped)).isTrue();
    assertThat(DatabaseUnavailable.describe(wrapped))
        .isEqualTo("SQLException: terminating connection due to administrator command");
  }

  @Test
  void constraintDataAndCodeFailuresAreNot() {
    assertThat(DatabaseUnavailable.causedBy(new SQLException("dup", "23505"))).isFalse();
    assertThat(DatabaseUnavailable.causedBy(new SQLException("bad", "22021"))).isFalse();
    assertThat(DatabaseUnavailable.causedBy(new SQLException("serialization", "40001"))).isFalse();
    assertThat(DatabaseUnavailable.causedBy(new NullPointerException())).isFalse();
    assertThat(DatabaseUnavailable.causedBy(null)).isFalse();
  }
}

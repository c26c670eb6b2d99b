package dev.nudge.schedule;

import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Api;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * At most {@code nudge.scheduler.max-parallel-batches} timer batches run at once across every
 * replica: while others hold all the slots, a replica claims nothing and leaves the timers due for
 * the next poll.
 */
@QuarkusTest
class BatchSlotsTest {

  @Inject TimerEngine engine;
  @Inject AgroalDataSource db;
  @Inject SchedulerConfig config;

  @Test
  void aReplicaWaitsWhileOtherReplicasHoldEveryBatchSlot() throws Exception {
    Sql sql = new Sql(db);
    String key = Api.newTenant("live");
    String seller = party(key);
    String buyer = party(key);
    String id = trade(key, seller, buyer, null);
    act(key, id, "request_reply", seller);
    sql.run(
        "update trade set awaiting_due_at = now() - interval '1 minute',"
            + " reminders_next_at = now() - interval '1 minute',"
            + " timer_at = now() - interval '1 minute' where id = ?",
        id);

    try (Connection other = db.getConnection();
        Statement s = other.createStatement()) {
      // Other replicas' loops: every slot leased.
      s.execute(
          "select pg_advisory_lock(1853187175, g) from generate_series(0, "
              + (config.maxParallelBatches() - 1)
              + ") g");
      engine.runDue();
      assertThat(sql.integer("select reminders_sent from trade where id = ?", id)).isZero();
      s.execute("select pg_advisory_unlock_all()");
    }
    engine.runDue();
    assertThat(sql.integer("select reminders_sent from trade where id = ?", id)).isEqualTo(1);
  }
}

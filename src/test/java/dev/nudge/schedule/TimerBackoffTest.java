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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A timer that keeps failing is retried ever later, in the manner of db-scheduler's failure
 * handler: the delay doubles from {@code nudge.scheduler.retry-after} (1 minute) with each
 * consecutive failure up to {@code nudge.scheduler.max-retry-after} (1 hour), and the count starts
 * over once the timer fires.
 */
@QuarkusTest
class TimerBackoffTest {

  @Inject TimerEngine engine;
  @Inject AgroalDataSource db;

  @Test
  void aFailingTimerBacksOffExponentiallyUpToTheCapAndStartsOverOnceItFires() throws Exception {
    Sql sql = new Sql(db);
    String key = Api.newTenant("live");
    String seller = party(key);
    String buyer = party(key);
    String id = trade(key, seller, buyer, null);
    act(key, id, "request_reply", seller);
    sql.run(
        "update trade set awaiting_due_at = now() - interval '1 minute',"
            + " reminders_next_at = now() - interval '1 minute' where id = ?",
        id);
    String policy = sql.string("select policy::text from trade where id = ?", id);
    sql.run("update trade set policy = '{\"unexpected\": true}' where id = ?", id);

    for (int failures = 1; failures <= 9; failures++) {
      sql.run("update trade set timer_at = now() - interval '1 second' where id = ?", id);
      Instant before = Instant.now();
      engine.runDue();
      Instant after = Instant.now();
      Duration delay = Duration.ofMinutes(Math.min(1L << (failures - 1), 60));
      assertThat(sql.integer("select timer_failures from trade where id = ?", id))
          .isEqualTo(failures);
      assertThat(sql.instant("select timer_at from trade where id = ?", id))
          .as("retry %d comes %s after the run", failures, delay)
          .isBetween(before.plus(delay).minusMillis(5), after.plus(delay).plusMillis(5));
    }
    assertThat(metric("nudge_scheduler_failing_timers{machine=\"trade\"}")).isPositive();

    sql.run("update trade set policy = ?::jsonb where id = ?", policy, id);
    sql.run("update trade set timer_at = now() - interval '1 second' where id = ?", id);
    engine.runDue();
    assertThat(sql.integer("select reminders_sent from trade where id = ?", id)).isEqualTo(1);
    assertThat(sql.integer("select timer_failures from trade where id = ?", id)).isZero();
  }

  private static double metric(String sample) {
    return io.restassured.RestAssured.given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .extract()
        .asString()
        .lines()
        .filter(l -> l.startsWith(sample + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + sample));
  }
}

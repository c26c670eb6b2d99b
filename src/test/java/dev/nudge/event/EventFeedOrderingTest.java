package dev.nudge.event;

import static dev.nudge.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nudge.support.Api;
import dev.nudge.support.Events;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pull feed never skips an event when transactions commit out of order. */
@QuarkusTest
class EventFeedOrderingTest {

  @Inject AgroalDataSource db;

  @Test
  void anEventCommittedLateStillAppearsAfterTheCursor() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String tenantId = tenant.path("id");
    String key = tenant.path("apiKey");
    String a = "evt_a" + System.nanoTime();
    String b = "evt_b" + System.nanoTime();
    try (Connection txA = db.getConnection();
        Connection txB = db.getConnection()) {
      txA.setAutoCommit(false);
      txB.setAutoCommit(false);
      Events.insertRow(txA, tenantId, a); // A starts first, so its event sorts first
      Events.insertRow(txB, tenantId, b);
      txB.commit();

      var page = as(key).get("/v1/events").then().statusCode(200).extract();
      // B is committed but A, which sorts before it, may still commit: B is held back.
      assertEquals(List.of(), page.path("data.id"));
      String cursor = page.path("nextCursor");

      txA.commit();
      var after =
          as(key).queryParam("after", cursor).get("/v1/events").then().statusCode(200).extract();
      assertEquals(List.of(a, b), after.path("data.id"));
      String end = after.path("nextCursor");
      assertEquals(
          List.of(),
          as(key).queryParam("after", end).get("/v1/events").then().extract().path("data.id"));
    }
  }

  /**
   * Transaction ids compare as numbers: an event of transaction 9 comes before one of 10 even when
   * the later transaction's row was written first (lower position), and paging one at a time
   * reaches both. Sorting them as text ("10" < "9") would skip the first for good.
   */
  @Test
  void transactionIdsSortAsNumbersNotText() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String tenantId = tenant.path("id");
    String key = tenant.path("apiKey");
    String later = "evt_later" + System.nanoTime();
    String earlier = "evt_earlier" + System.nanoTime();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into event (id, tenant_id, type, subject_kind, subject_id, sequence,"
                    + " created_at, data, txid) values (?, ?, 'trade.created', 'trade', ?, 1,"
                    + " now(), '{}'::jsonb, ?::xid8)")) {
      for (String[] row : List.of(new String[] {later, "10"}, new String[] {earlier, "9"})) {
        ps.setString(1, row[0]);
        ps.setString(2, tenantId);
        ps.setString(3, "trd_" + row[0]);
        ps.setString(4, row[1]);
        ps.executeUpdate();
      }
    }
    assertEquals(
        List.of(earlier, later),
        as(key).get("/v1/events").then().statusCode(200).extract().path("data.id"));
    var first = as(key).queryParam("limit", 1).get("/v1/events").then().statusCode(200).extract();
    assertEquals(List.of(earlier), first.path("data.id"));
    assertEquals(
        List.of(later),
        as(key)
            .queryParam("limit", 1)
            .queryParam("after", (String) first.path("nextCursor"))
            .get("/v1/events")
            .then()
            .statusCode(200)
            .extract()
            .path("data.id"));
  }
}

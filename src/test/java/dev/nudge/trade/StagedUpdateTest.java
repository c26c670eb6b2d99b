package dev.nudge.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch update of many rows travels by COPY through a staging table of the session: each update
 * writes exactly the rows it was given, also after a rollback to a savepoint and when the same
 * transaction updates again (as the halves of a refused timer batch do), and counts only those.
 */
@QuarkusTest
class StagedUpdateTest {

  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  @Test
  void eachStagedUpdateWritesAndCountsOnlyItsOwnRows() throws Exception {
    String key = Api.newTenant("live");
    String seller = Fixtures.party(key);
    String buyer = Fixtures.party(key);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(Fixtures.trade(key, seller, buyer, null));
    }
    try (Connection c = db.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("discard temp"); // the staging table is created below, inside the savepoint
      }
      c.setAutoCommit(false);
      TradeRepository trades = new TradeRepository(json);
      List<Trade> rows = new ArrayList<>();
      String tenant = new Sql(db).string("select tenant_id from trade where id = ?", ids.get(0));
      for (String id : ids) {
        Trade t = trades.lock(c, tenant, id).orElseThrow();
        t.version++;
        t.updatedAt = t.updatedAt.plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        rows.add(t);
      }
      Savepoint before = c.setSavepoint();
      assertThat(TradeRepository.TABLE.update(c, json, rows)).isEqualTo(20);
      c.rollback(before);
      assertThat(TradeRepository.TABLE.update(c, json, rows.subList(0, 16)))
          .as("after the rollback, only the rows given now")
          .isEqualTo(16);
      assertThat(TradeRepository.TABLE.update(c, json, rows))
          .as("the 16 written already are a version ahead: only the other 4 are written")
          .isEqualTo(4);
      c.commit();
      for (Trade t : rows) {
        assertThat(trades.find(c, tenant, t.id).orElseThrow().version).isEqualTo(t.version);
        assertThat(trades.find(c, tenant, t.id).orElseThrow().updatedAt).isEqualTo(t.updatedAt);
      }
      c.commit();
      c.setAutoCommit(true);
    }
  }
}

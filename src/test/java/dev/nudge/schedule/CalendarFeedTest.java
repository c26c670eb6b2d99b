package dev.nudge.schedule;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.trade.TradeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

/** The party's deadlines as iCalendar, read back with the same library a client would use. */
@QuarkusTest
class CalendarFeedTest {

  @Test
  void deadlinesKeepTheirUidMoveWithTheTradeAndLeaveWhenItIsAnswered() throws Exception {
    TradeFixtures f = new TradeFixtures(newTenant("test")); // A in Tokyo (ja), B in London (en)
    String trade = f.trade();
    Instant asked = Fixtures.now(f.key);
    f.act(trade, "request_reply", f.a).statusCode(200);
    String token =
        as(f.key)
            .body(Map.of())
            .post("/v1/parties/" + f.b + "/tokens")
            .then()
            .extract()
            .path("token");

    Map<String, VEvent> before =
        events(
            Api.anonymous()
                .get("/v1/parties/" + f.b + "/reminders.ics?token=" + token)
                .then()
                .statusCode(200)
                .contentType("text/calendar")
                .extract()
                .asString());
    assertThat(before.keySet())
        .as("the first reminder falls on the due date: no entry of its own")
        .containsExactlyInAnyOrder(trade + "-due@nudge", trade + "-policy@nudge");
    VEvent due = before.get(trade + "-due@nudge");
    assertThat(prop(due, Property.DTSTART)).isEqualTo(utc(asked.plus(Duration.ofDays(3))));
    assertThat(prop(due, Property.SUMMARY)).isEqualTo("Reply due: “Photocard swap”");
    assertThat(due.getAlarms()).hasSize(1);
    // Two reminders two days apart after the due date, then a day's grace: cancelled then.
    assertThat(prop(before.get(trade + "-policy@nudge"), Property.DTSTART))
        .isEqualTo(utc(asked.plus(Duration.ofDays(6))));
    assertThat(events(calendar(f.key, f.b)).keySet())
        .as("the same with the tenant key")
        .isEqualTo(before.keySet());

    // The waiting side sees the other's deadline, in Japanese.
    assertThat(prop(events(calendar(f.key, f.a)).get(trade + "-due@nudge"), Property.SUMMARY))
        .contains("「Photocard swap」");

    f.act(
            trade,
            Map.<String, Object>of("type", "extend_deadline", "partyId", f.a, "extendBy", "P2D"))
        .statusCode(200);
    VEvent moved = events(calendar(f.key, f.b)).get(trade + "-due@nudge");
    assertThat(prop(moved, Property.DTSTART)).isEqualTo(utc(asked.plus(Duration.ofDays(5))));
    assertThat(Integer.parseInt(prop(moved, Property.SEQUENCE)))
        .isGreaterThan(Integer.parseInt(prop(due, Property.SEQUENCE)));

    // After the first reminder, the next one has an entry of its own.
    Fixtures.advance(f.key, "P5D");
    assertThat(events(calendar(f.key, f.b)))
        .containsKey(trade + "-reminder@nudge")
        .doesNotContainKey(trade + "-due@nudge");

    f.act(trade, "reply", f.b).statusCode(200);
    assertThat(events(calendar(f.key, f.b))).isEmpty();

    String other =
        as(f.key)
            .body(Map.of())
            .post("/v1/parties/" + f.a + "/tokens")
            .then()
            .extract()
            .path("token");
    Api.anonymous()
        .get("/v1/parties/" + f.b + "/reminders.ics?token=" + other)
        .then()
        .statusCode(403);
    Api.anonymous().get("/v1/parties/" + f.b + "/reminders.ics").then().statusCode(401);
    Api.anonymous()
        .get("/v1/parties/" + f.b + "/reminders.ics?token=" + f.key)
        .then()
        .statusCode(401);
  }

  private static String calendar(String key, String party) {
    return as(key)
        .get("/v1/parties/" + party + "/reminders.ics")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  private static Map<String, VEvent> events(String ics) throws Exception {
    Calendar cal = new CalendarBuilder().build(new StringReader(ics));
    List<VEvent> events = cal.getComponents("VEVENT");
    return events.stream().collect(Collectors.toMap(e -> prop(e, Property.UID), e -> e));
  }

  private static String prop(VEvent e, String name) {
    return e.getProperty(name).orElseThrow().getValue();
  }

  private static String utc(Instant t) {
    return t.toString().replace("-", "").replace(":", "").replaceAll("\\.\\d+", "");
  }
}

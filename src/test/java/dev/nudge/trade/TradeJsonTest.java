package dev.nudge.trade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.trade.TradeViews.AwaitingView;
import dev.nudge.trade.TradeViews.CancellationView;
import dev.nudge.trade.TradeViews.CompletionsView;
import dev.nudge.trade.TradeViews.MilestonesView;
import dev.nudge.trade.TradeViews.RemindersView;
import dev.nudge.trade.TradeViews.TradeView;
import dev.nudge.trade.reminder.ReminderDue;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written snapshot JSON is byte for byte what the service's object mapper writes for the
 * same view, with every optional part present or absent and text that needs escaping.
 */
@QuarkusTest
class TradeJsonTest {

  @Inject ObjectMapper mapper;

  static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void aTradeAwaitingAReplyIsWrittenAsTheMapperWritesIt() throws Exception {
    TradeView v = view(true, false, "Photo card exchange", T.plusNanos(120_000_000));
    assertSame(v);
  }

  @Test
  void aCancelledTradeWithAmountAndNoAwaitingIsWrittenAsTheMapperWritesIt() throws Exception {
    TradeView v =
        view(
            false,
            true,
            "Quote \" backslash \\ tab \t newline \n cr \r bs \b ff \f ctrl \u0001 \u001f del \u007f ✓ 交換 \ud83d\ude00",
            T);
    assertSame(v);
  }

  @Test
  void textThatStartsOrEndsWithAnEscapeIsWrittenAsTheMapperWritesIt() throws Exception {
    for (String title : List.of("\"Quoted\"", "\n", "\\", "ends with a newline\n", "“curly” \"")) {
      assertSame(view(true, false, title, T));
    }
  }

  @Test
  void reminderDueIsWrittenAsTheMapperWritesIt() throws Exception {
    String trade = TradeJson.trade(view(true, false, "Cards", T));
    for (ReminderView r :
        List.of(
            new ReminderView(
                "rem_1",
                "trd_1",
                "pty_b",
                1,
                "gentle",
                "x_dm",
                "en",
                "Hello \"B\",\n\nThank you…\ttab",
                T,
                T.plusSeconds(1),
                "sent"),
            new ReminderView(
                "rem_2", "trd_1", "pty_b", 2, "final", null, "ja", "こんにちは", T, null, "deferred"))) {
      String expected = mapper.writeValueAsString(new ReminderDue(trade, r));
      assertEquals(expected, TradeJson.reminderDue(trade, r));
      assertEquals(
          expected,
          new String(
              TradeJson.reminderDue(trade.getBytes(StandardCharsets.UTF_8), r),
              StandardCharsets.UTF_8));
    }
  }

  private void assertSame(TradeView v) throws Exception {
    assertEquals(mapper.writeValueAsString(v), TradeJson.trade(v));
  }

  private static TradeView view(boolean awaiting, boolean cancelled, String title, Instant at) {
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    allowed.put("pty_a", List.of("confirm_payment", "extend_deadline"));
    allowed.put("pty_b", cancelled ? List.of() : List.of("reply"));
    return new TradeView(
        "trd_1",
        cancelled ? "cancelled" : "reminded",
        3,
        title,
        "pty_a",
        "pty_b",
        "[{\"from\":\"initiator\",\"description\":\"Card A\"}]",
        cancelled ? "{\"value\":\"1200\",\"currency\":\"JPY\"}" : null,
        cancelled ? null : "{\"url\":\"https://x.com/a/status/1\",\"note\":\"DM\"}",
        "{\"replyWindow\":\"P3D\",\"maxReminders\":2}",
        awaiting ? new AwaitingView("pty_b", "reply", "pty_a", at, at.plusSeconds(259_200)) : null,
        new RemindersView(1, 2, at, awaiting ? at.plusSeconds(172_800) : null),
        new MilestonesView(cancelled ? at : null, null, null),
        new CompletionsView(null, cancelled ? at.plusNanos(1000) : null),
        cancelled ? new CancellationView("no_reply", null, true, at, "No \"reply\"") : null,
        allowed,
        null,
        T,
        at);
  }
}

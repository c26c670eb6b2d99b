package dev.nudge.trade.reminder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nudge.trade.domain.AwaitKind;
import dev.nudge.trade.domain.Policy.SilenceRule;
import dev.nudge.trade.domain.Tone;
import dev.nudge.trade.reminder.ReminderTexts.Context;
import io.quarkus.qute.Engine;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Messages rendered by concatenating a template's pieces read exactly as Qute renders the template,
 * and the dates in them as {@code DateTimeFormatter} writes them.
 */
@QuarkusTest
class ReminderTextsTest {

  @Inject ReminderTexts texts;
  @Inject Engine engine;

  static final List<String> ZONES =
      List.of("UTC", "Asia/Tokyo", "Europe/London", "America/New_York", "Australia/Lord_Howe");

  @Test
  void datesReadAsTheJdkFormatsThem() {
    Random random = new Random(9);
    for (int i = 0; i < 20_000; i++) {
      Instant at = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 8_000_000_000L));
      String zone = ZONES.get(i % ZONES.size());
      ZoneId z = ZoneId.of(zone);
      assertEquals(
          ReminderDates.EN.withZone(z).format(at) + " (" + zone + ")",
          ReminderDates.format(false, at, zone));
      assertEquals(
          ReminderDates.JA.withZone(z).format(at) + " (" + zone + ")",
          ReminderDates.format(true, at, zone));
    }
  }

  @Test
  void everyShippedTemplateRendersAsQuteRendersIt() {
    for (String locale : List.of("en", "ja")) {
      for (Tone tone : Tone.values()) {
        for (Context c : contexts()) {
          String qute =
              engine
                  .getTemplate("reminders/" + locale + "-" + tone.wire())
                  .data(data(locale, c))
                  .render()
                  .strip();
          assertEquals(qute, texts.render(locale, tone, null, c), locale + "-" + tone.wire());
        }
      }
    }
  }

  @Test
  void anOverrideRendersAsQuteRendersIt() {
    String body =
        "Hi {recipient}! \\{not a value} {title} from {sender}: {awaited} by {dueDate},"
            + " else {consequence} at {deadline} ({number}/{max}).\n";
    for (Context c : contexts()) {
      assertEquals(
          engine.parse(body).data(data("en", c)).render().strip(),
          texts.render("en", Tone.GENTLE, body, c));
    }
  }

  private static List<Context> contexts() {
    return List.of(
        new Context(
            "Aki",
            "Ren",
            "Photo {cards}",
            AwaitKind.REPLY,
            Instant.parse("2026-11-25T10:05:00Z"),
            null,
            SilenceRule.CANCEL,
            "Asia/Tokyo",
            1,
            2),
        new Context(
            "Sana \"fan\"",
            "Mina",
            "交換",
            AwaitKind.CANCELLATION_CONSENT,
            Instant.parse("2026-03-29T00:30:00Z"),
            Instant.parse("2026-03-31T12:05:00Z"),
            SilenceRule.NONE,
            "Europe/London",
            2,
            2));
  }

  /** The values as the service hands them to Qute. */
  private static java.util.Map<String, Object> data(String locale, Context c) {
    boolean ja = "ja".equals(locale);
    java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
    ZoneId z = ZoneId.of(c.timeZone());
    var f = (ja ? ReminderDates.JA : ReminderDates.EN).withZone(z);
    d.put("recipient", c.recipient());
    d.put("sender", c.sender());
    d.put("title", c.title());
    d.put("awaited", ReminderTexts.awaited(ja, c.kind()));
    d.put("dueDate", c.dueAt() == null ? "" : f.format(c.dueAt()) + " (" + z.getId() + ")");
    d.put("deadline", c.deadline() == null ? "" : f.format(c.deadline()) + " (" + z.getId() + ")");
    d.put("consequence", ReminderTexts.consequence(ja, c.rule()));
    d.put("number", c.number());
    d.put("max", c.max());
    return d;
  }
}

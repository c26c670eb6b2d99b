package dev.nudge.trade.reminder;

import dev.nudge.trade.domain.AwaitKind;
import dev.nudge.trade.domain.Policy.SilenceRule;
import dev.nudge.trade.domain.Tone;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Renders reminder messages from the shipped Qute templates ({@code templates/reminders/}) or the
 * tenant's override. A tenant template that fails to render falls back to the shipped one, so a bad
 * override never stops a timer.
 */
@ApplicationScoped
public class ReminderTexts {

  private static final Logger LOG = Logger.getLogger(ReminderTexts.class);
  private static final DateTimeFormatter JA =
      DateTimeFormatter.ofPattern("yyyy年M月d日(E) HH:mm", Locale.JAPANESE);
  private static final DateTimeFormatter EN =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH);
  private static final int PARSED_CACHE = 500;

  /** What a message speaks about. */
  public record Context(
      String recipient,
      String sender,
      String title,
      AwaitKind kind,
      Instant dueAt,
      Instant deadline,
      SilenceRule rule,
      String timeZone,
      int number,
      int max) {}

  private final Engine engine;
  private final Map<String, Template> parsed = new ConcurrentHashMap<>();
  private final Map<String, String> sources = new ConcurrentHashMap<>();
  // Overrides stored before the shape check existed are re-checked before they are rendered.
  private final Map<String, Boolean> safe = new ConcurrentHashMap<>();

  public ReminderTexts(Engine engine) {
    this.engine = engine;
  }

  /** The shipped template text. */
  public String shipped(String locale, Tone tone) {
    return sources.computeIfAbsent(
        locale + "-" + tone.wire(),
        name -> {
          String path = "templates/reminders/" + name + ".txt";
          try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
              throw new IllegalStateException("missing " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  public String render(String locale, Tone tone, String override, Context c) {
    Map<String, Object> data = data(locale, c);
    if (override != null && safe.computeIfAbsent(override, o -> shape(o) == null)) {
      try {
        return parse(override).data(data).render().strip();
      } catch (RuntimeException e) {
        LOG.warnf("tenant reminder template %s/%s failed to render: %s", locale, tone, e);
      }
    }
    return template(locale, tone).data(data).render().strip();
  }

  /**
   * Checks an override: it must parse and render with sample data. Returns the problem, or null.
   */
  public String check(String body) {
    String shape = shape(body);
    if (shape != null) {
      return shape;
    }
    try {
      parse(body)
          .data(
              data(
                  "en",
                  new Context(
                      "Aki",
                      "Ren",
                      "Photo cards",
                      AwaitKind.REPLY,
                      Instant.EPOCH,
                      Instant.EPOCH,
                      SilenceRule.CANCEL,
                      "UTC",
                      1,
                      2)))
          .render();
      return null;
    } catch (RuntimeException e) {
      return invalid(e);
    }
  }

  private static String invalid(RuntimeException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    return "is not a valid template: " + (m.length() > 300 ? m.substring(0, 300) : m);
  }

  /** The values a template may use, and nothing else. */
  public static final List<String> VALUES =
      List.of(
          "recipient",
          "sender",
          "title",
          "awaited",
          "dueDate",
          "deadline",
          "consequence",
          "number",
          "max");

  /**
   * An override is text and plain {@code {value}} references to {@link #VALUES}: no sections
   * ({@code {#for}}, {@code {#let}}…), no method calls and no namespaces ({@code {config:…}},
   * {@code {inject:…}}), so a tenant's text can neither loop, grow without bound nor read the
   * server's configuration or beans. Returns the problem, or null.
   */
  private String shape(String body) {
    Template t;
    try {
      t = parse(body);
    } catch (RuntimeException e) {
      return invalid(e);
    }
    for (TemplateNode node : t.getNodes()) {
      if (node.isText()) {
        continue;
      }
      if (!node.isExpression()) {
        return "may contain only text and the values " + allowed() + "; sections are not allowed";
      }
      Expression e = node.asExpression().getExpressions().get(0);
      if (e.hasNamespace()
          || e.isLiteral()
          || e.getParts().size() != 1
          || e.getParts().get(0).isVirtualMethod()
          || !VALUES.contains(e.getParts().get(0).getName())) {
        return "may use only the values " + allowed() + ", not {" + e.toOriginalString() + "}";
      }
    }
    return null;
  }

  private static String allowed() {
    return String.join(", ", VALUES.stream().map(v -> "{" + v + "}").toList());
  }

  private Template parse(String body) {
    if (parsed.size() > PARSED_CACHE) {
      parsed.clear();
      safe.clear();
    }
    return parsed.computeIfAbsent(body, engine::parse);
  }

  private Template template(String locale, Tone tone) {
    Template t = engine.getTemplate("reminders/" + locale + "-" + tone.wire());
    if (t == null) {
      throw new IllegalStateException("no shipped reminder template " + locale + "/" + tone);
    }
    return t;
  }

  private static Map<String, Object> data(String locale, Context c) {
    boolean ja = "ja".equals(locale);
    ZoneId zone = ZoneId.of(c.timeZone());
    DateTimeFormatter f = (ja ? JA : EN).withZone(zone);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("recipient", c.recipient());
    d.put("sender", c.sender());
    d.put("title", c.title());
    d.put("awaited", ja ? awaitedJa(c.kind()) : awaitedEn(c.kind()));
    d.put("dueDate", c.dueAt() == null ? "" : f.format(c.dueAt()) + " (" + zone.getId() + ")");
    d.put(
        "deadline", c.deadline() == null ? "" : f.format(c.deadline()) + " (" + zone.getId() + ")");
    d.put("consequence", ja ? consequenceJa(c.rule()) : consequenceEn(c.rule()));
    d.put("number", c.number());
    d.put("max", c.max());
    return d;
  }

  private static String awaitedJa(AwaitKind k) {
    return switch (k) {
      case REPLY -> "ご返信";
      case COMPLETION_CONFIRMATION -> "お取引完了のご確認";
      case CANCELLATION_CONSENT -> "キャンセルへのご同意（またはお断り）のご連絡";
    };
  }

  private static String awaitedEn(AwaitKind k) {
    return switch (k) {
      case REPLY -> "your reply";
      case COMPLETION_CONFIRMATION -> "your confirmation that the trade is complete";
      case CANCELLATION_CONSENT -> "your consent to (or refusal of) the cancellation";
    };
  }

  private static String consequenceJa(SilenceRule r) {
    return switch (r) {
      case CANCEL -> "お取引は自動的にキャンセルとなります";
      case COMPLETE -> "お取引は完了として扱われます";
      case NONE -> "期限を過ぎた旨を相手の方にお知らせいたします";
    };
  }

  private static String consequenceEn(SilenceRule r) {
    return switch (r) {
      case CANCEL -> "the trade will be cancelled automatically";
      case COMPLETE -> "the trade will be marked as completed";
      case NONE -> "the other party will be told that the deadline has passed";
    };
  }
}

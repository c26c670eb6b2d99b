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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Renders reminder messages from the shipped Qute templates ({@code templates/reminders/}) or the
 * tenant's override. A tenant template that fails to render falls back to the shipped one, so a bad
 * override never stops a timer.
 */
@ApplicationScoped
public class ReminderTexts {

  private static final Logger LOG = Logger.getLogger(ReminderTexts.class);
  private static final int PREPARED_CACHE = 500;

  /** What a template is tried with: when it is checked, and when it is compiled. */
  private static final Context SAMPLE =
      new Context(
          "Aki",
          "Ren",
          "Photo cards",
          AwaitKind.REPLY,
          Instant.parse("2026-03-29T00:30:00Z"),
          Instant.parse("2026-03-31T12:05:00Z"),
          SilenceRule.CANCEL,
          "Europe/London",
          1,
          2);

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
  private final Map<String, String> sources = new ConcurrentHashMap<>();

  /**
   * The templates ready to render, by {@code shipped:locale-tone} or {@code override:body}: an
   * override's is empty when it fails the shape check (stored before that check existed). At most
   * {@link #PREPARED_CACHE} entries (tenants' overrides are unbounded), cleared whole when full.
   */
  private final Map<String, Optional<Prepared>> prepared = new ConcurrentHashMap<>();

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
    if (override != null) {
      try {
        Optional<Prepared> p =
            prepared(
                "override:" + override,
                () -> shape(override) == null ? engine.parse(override) : null);
        if (p.isPresent()) {
          return p.get().render(locale, c);
        }
      } catch (RuntimeException e) {
        LOG.warnf("tenant reminder template %s/%s failed to render: %s", locale, tone, e);
      }
    }
    return prepared("shipped:" + locale + "-" + tone.wire(), () -> template(locale, tone))
        .orElseThrow()
        .render(locale, c);
  }

  private Optional<Prepared> prepared(String key, Supplier<Template> template) {
    Optional<Prepared> p = prepared.get(key);
    if (p == null) {
      if (prepared.size() >= PREPARED_CACHE) {
        prepared.clear();
      }
      Template t = template.get();
      p = Optional.ofNullable(t == null ? null : new Prepared(t, Compiled.of(t)));
      prepared.put(key, p);
    }
    return p;
  }

  /**
   * A template ready to render: by concatenation when it is text and plain values (every shipped
   * template and every accepted override), else by Qute. Only the values the text uses are
   * computed.
   */
  private record Prepared(Template template, Compiled compiled) {
    String render(String locale, Context c) {
      if (compiled == Compiled.NONE) {
        return template.data(data(locale, c)).render().strip();
      }
      return compiled.render("ja".equals(locale), c);
    }
  }

  /**
   * A template that is only text and plain {@code {value}} references, split at the references:
   * rendering it is concatenating the pieces with the values, with none of Qute's resolution
   * machinery per message. {@link #of} keeps it only if it renders sample values exactly as Qute
   * does.
   */
  private record Compiled(String[] texts, int[] values) {

    static final Compiled NONE = new Compiled(new String[0], new int[0]);

    static Compiled of(Template t) {
      List<String> texts = new ArrayList<>();
      List<Integer> values = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      for (TemplateNode node : t.getNodes()) {
        if (node.isText()) {
          text.append(node.asText().getValue());
          continue;
        }
        if (!node.isExpression() || node.getExpressions().size() != 1) {
          return NONE;
        }
        Expression e = node.getExpressions().get(0);
        int value =
            e.hasNamespace() || e.isLiteral() || e.getParts().size() != 1
                ? -1
                : VALUES.indexOf(e.getParts().get(0).getName());
        if (value < 0 || e.getParts().get(0).isVirtualMethod()) {
          return NONE;
        }
        texts.add(text.toString());
        text.setLength(0);
        values.add(value);
      }
      texts.add(text.toString());
      Compiled k =
          new Compiled(
              texts.toArray(String[]::new), values.stream().mapToInt(Integer::intValue).toArray());
      for (String locale : List.of("en", "ja")) {
        String qute = t.data(data(locale, SAMPLE)).render().strip();
        if (!qute.equals(k.render("ja".equals(locale), SAMPLE))) {
          return NONE;
        }
      }
      return k;
    }

    String render(boolean ja, Context c) {
      StringBuilder out = new StringBuilder(512);
      for (int i = 0; i < values.length; i++) {
        out.append(texts[i]).append(value(values[i], ja, c));
      }
      return out.append(texts[values.length]).toString().strip();
    }
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
      engine.parse(body).data(data("en", SAMPLE)).render();
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
      t = engine.parse(body);
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

  private Template template(String locale, Tone tone) {
    Template t = engine.getTemplate("reminders/" + locale + "-" + tone.wire());
    if (t == null) {
      throw new IllegalStateException("no shipped reminder template " + locale + "/" + tone);
    }
    return t;
  }

  private static Map<String, Object> data(String locale, Context c) {
    boolean ja = "ja".equals(locale);
    Map<String, Object> d = new LinkedHashMap<>();
    for (int i = 0; i < VALUES.size(); i++) {
      d.put(VALUES.get(i), value(i, ja, c));
    }
    return d;
  }

  /** The value {@code VALUES.get(index)} of a message. */
  private static Object value(int index, boolean ja, Context c) {
    return switch (index) {
      case 0 -> c.recipient();
      case 1 -> c.sender();
      case 2 -> c.title();
      case 3 -> awaited(ja, c.kind());
      case 4 -> c.dueAt() == null ? "" : ReminderDates.format(ja, c.dueAt(), c.timeZone());
      case 5 -> c.deadline() == null ? "" : ReminderDates.format(ja, c.deadline(), c.timeZone());
      case 6 -> consequence(ja, c.rule());
      case 7 -> c.number();
      case 8 -> c.max();
      default -> throw new IllegalArgumentException("no reminder value " + index);
    };
  }

  static String awaited(boolean ja, AwaitKind k) {
    return ja ? awaitedJa(k) : awaitedEn(k);
  }

  static String consequence(boolean ja, SilenceRule r) {
    return ja ? consequenceJa(r) : consequenceEn(r);
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

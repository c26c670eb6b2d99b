package dev.nudge.party;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;

/**
 * Locales as browsers and phones report them (BCP 47: {@code ja}, {@code ja-JP}, {@code en-US}):
 * stored as given, spoken in their language, which must be one Nudge writes reminders in.
 */
public final class Languages {

  /** The languages of the shipped reminder texts. */
  public static final Set<String> SUPPORTED = Set.of("ja", "en");

  private Languages() {}

  public static boolean supported(String tag) {
    return tag != null && SUPPORTED.contains(of(tag));
  }

  /** The tag in its canonical form ({@code en-us} → {@code en-US}). */
  public static String tag(String tag) {
    return parse(tag).toLanguageTag();
  }

  /** The language of a tag: {@code ja-JP} → {@code ja}; empty if the tag is not BCP 47. */
  public static String of(String tag) {
    Locale l = parse(tag);
    return l == null ? "" : l.getLanguage();
  }

  private static Locale parse(String tag) {
    if (tag == null || tag.isBlank() || tag.length() > 35) {
      return null;
    }
    try {
      return new Locale.Builder().setLanguageTag(tag.replace('_', '-')).build();
    } catch (IllformedLocaleException e) {
      return null;
    }
  }
}

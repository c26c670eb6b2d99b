package dev.nudge.complaint.domain;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quality checks of a support response (SPEC §1), in Japanese and English alike. Text is read
 * after Unicode NFKC normalisation, so full-width digits and letters ({@code ０９０－１２３４}) count as
 * their ASCII forms.
 */
public final class ResponseChecks {

  private ResponseChecks() {}

  /** Cases that used the same text before this one makes it copy-paste. */
  public static final int COPY_PASTE_CASES = 3;

  public record Warning(String code, String message) {}

  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

  /**
   * Japanese numbers: mobile ({@code 090-1234-5678}), landline ({@code 03-1234-5678}, {@code (03)
   * 1234-5678}) or toll-free ({@code 0120-123-456}), with hyphens, spaces or neither. A candidate
   * counts only with the 10 or 11 digits of a real number, so order numbers, dates and amounts do
   * not.
   */
  private static final Pattern DOMESTIC_PHONE =
      Pattern.compile("(?<![\\d#+-])\\(?0\\d{1,4}\\)?[-\\s]?\\d{1,4}[-\\s]?\\d{3,4}(?![\\d-])");

  /** International numbers ({@code +81 90 1234 5678}, {@code +81-3-1234-5678}). */
  private static final Pattern INTERNATIONAL_PHONE =
      Pattern.compile(
          "(?<![\\d#])\\+\\d{1,3}[\\s-]?\\(?\\d{1,4}\\)?([\\s-]?\\d{2,4}){2,3}(?![\\d-])");

  /**
   * Dashes typed between digits other than the ASCII hyphen: a Japanese keyboard's {@code ー} (and
   * its half-width form, which NFKC turns into it), minus signs and en or em dashes. NFKC already
   * maps the full-width hyphen {@code －}.
   */
  private static final Pattern DIGIT_DASH =
      Pattern.compile("(?<=\\d)[\\u2010-\\u2015\\u2212\\u30fc](?=\\d)");

  /** {@code 〒150-0001}, {@code 150-0001}. */
  private static final Pattern POSTAL =
      Pattern.compile("〒\\s*\\d{3}-?\\d{4}|(?<![\\d-])\\d{3}-\\d{4}(?![\\d-])");

  /** Personal data the customer is asked to give. */
  private static final Pattern ASKED_DATA =
      Pattern.compile(
          "住所|電話番号|連絡先|メールアドレス|メアド|お名前と|氏名"
              + word(
                  "address|phone( number)?|telephone|mobile( number)?|e-?mail( address)?"
                      + "|full name"));

  /** Asking for it. */
  private static final Pattern ASKING =
      Pattern.compile(
          "教えて|お知らせ|記載|ご記入|書いて|返信|ご連絡|お送り|送って|頂け|いただけ|ください|下さい"
              + word("reply|respond|tell|share|post|send|give|provide|leave|comment|let us know"));

  /** Where personal data should go instead: a private channel. */
  private static final Pattern PRIVATE_CHANNEL =
      Pattern.compile(
          "ダイレクトメッセージ|メッセージにて|個別に|非公開"
              + word(
                  "dms?|direct message|private message|privately|in private|by e-?mail to us"
                      + "|support form"));

  private static final Pattern ACKNOWLEDGEMENT =
      Pattern.compile("ありがとう|有難う|有り難う|申し訳|お詫び|恐れ入|すみません" + "|(?<![a-z])(thank|sorry|apolog)");

  /**
   * An English word or phrase, as an alternative to append: bounded by anything but an ASCII letter
   * or digit, because Java's {@code \\b} counts Japanese characters as word characters (so "DMで"
   * would have no boundary after "DM").
   */
  private static String word(String alternatives) {
    return "|(?<![a-z0-9])(" + alternatives + ")(?![a-z0-9])";
  }

  /** The text as compared for copy-paste: NFKC, lower case, whitespace collapsed. */
  public static String normalise(String body) {
    return Normalizer.normalize(body, Normalizer.Form.NFKC)
        .toLowerCase(Locale.ROOT)
        .replaceAll("\\s+", " ")
        .strip();
  }

  /**
   * The warnings of a response.
   *
   * @param first whether it is the case's first response
   * @param sameTextCases on how many other cases of the tenant the same normalised text was sent in
   *     the last 30 days
   */
  public static List<Warning> check(
      String body, boolean publicResponse, boolean first, long sameTextCases) {
    String text = Normalizer.normalize(body, Normalizer.Form.NFKC);
    String lower = text.toLowerCase(Locale.ROOT);
    List<Warning> out = new ArrayList<>();
    if (publicResponse) {
      String found = personalData(text);
      if (found != null) {
        out.add(
            new Warning(
                "personal_data_in_public",
                "This public response contains "
                    + found
                    + "; move personal matters to a private"
                    + " channel."));
      } else if (ASKED_DATA.matcher(lower).find()
          && ASKING.matcher(lower).find()
          && !PRIVATE_CHANNEL.matcher(lower).find()) {
        out.add(
            new Warning(
                "personal_data_in_public",
                "This public response asks for personal data in the open; ask the customer to"
                    + " send it by DM instead."));
      }
    }
    if (sameTextCases >= COPY_PASTE_CASES) {
      out.add(
          new Warning(
              "copy_paste",
              "The same text was sent on "
                  + sameTextCases
                  + " other cases in the last 30 days; answer this customer in your own words."));
    }
    if (first && !ACKNOWLEDGEMENT.matcher(lower).find()) {
      out.add(
          new Warning(
              "no_acknowledgement",
              "A first response should thank the customer or apologise before anything else."));
    }
    return out;
  }

  private static String personalData(String text) {
    if (EMAIL.matcher(text).find()) {
      return "an e-mail address";
    }
    String digits = DIGIT_DASH.matcher(text).replaceAll("-");
    if (phoneNumber(digits)) {
      return "a phone number";
    }
    if (POSTAL.matcher(digits).find()) {
      return "a postal code";
    }
    return null;
  }

  private static boolean phoneNumber(String text) {
    Matcher m = DOMESTIC_PHONE.matcher(text);
    while (m.find()) {
      long digits = m.group().chars().filter(Character::isDigit).count();
      if (digits == 10 || digits == 11) {
        return true;
      }
    }
    return INTERNATIONAL_PHONE.matcher(text).find();
  }
}

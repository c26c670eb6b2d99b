package dev.nudge.complaint.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The response checks in Japanese and English, each with answers that must not warn. */
class ResponseChecksTest {

  private static List<String> codes(String body, boolean isPublic, boolean first, long same) {
    return ResponseChecks.check(body, isPublic, first, same).stream()
        .map(ResponseChecks.Warning::code)
        .toList();
  }

  private static List<String> publicReply(String body) {
    return codes(body, true, false, 0);
  }

  @Test
  void personalDataInAPublicResponseWarnsInBothLanguages() {
    for (String body :
        List.of(
            "Please write to aki.tanaka@example.com and we will sort it out.",
            "お手数ですが 090-1234-5678 までお電話ください。",
            "Call us on 03-1234-5678.",
            "お手数ですが ０９０－１２３４－５６７８ までご連絡ください。",
            "Our line is +81 90 1234 5678.",
            "Please call 09012345678.",
            // Typed on a Japanese keyboard: full-width digits with ー (or a minus sign) between.
            "お電話は ０９０ー１２３４ー５６７８ までお願いします。",
            "Tel：０３−１２３４−５６７８",
            "Call 090 1234 5678 after six.",
            "Our Tokyo desk: (03) 1234-5678.",
            "電話:0120-123-456",
            "〒１５０ー０００１ 東京都渋谷区",
            "発送先は〒150-0001 渋谷区でよろしいでしょうか。",
            "Is 150-0001 your postal code?")) {
      assertThat(publicReply(body)).as(body).contains("personal_data_in_public");
    }
  }

  @Test
  void askingForPersonalDataInTheOpenWarnsButAskingForADmDoesNot() {
    assertThat(publicReply("ご住所と電話番号をこちらに返信で教えてください。")).contains("personal_data_in_public");
    assertThat(publicReply("Please reply with your address and phone number."))
        .contains("personal_data_in_public");
    assertThat(publicReply("Could you tell us your e-mail address?"))
        .contains("personal_data_in_public");
    assertThat(publicReply("お手数ですが、ご住所をDMでお送りください。")).isEmpty();
    assertThat(publicReply("ご連絡先はダイレクトメッセージにてお知らせください。")).isEmpty();
    assertThat(publicReply("Please send us a DM with your address so we can help.")).isEmpty();
    assertThat(publicReply("Could you share your order details via direct message?")).isEmpty();
  }

  @Test
  void privateResponsesAndOrdinaryNumbersAreClean() {
    assertThat(codes("Call 090-1234-5678 any time.", false, false, 0)).isEmpty();
    assertThat(publicReply("Your order #12345678 ships on 2026-11-24.")).isEmpty();
    assertThat(publicReply("ご注文番号 #20261124001 は 2026-11-24 に発送しました。")).isEmpty();
    assertThat(publicReply("The refund of 1,200 JPY was sent at 10:30.")).isEmpty();
    assertThat(publicReply("Thanks @aki_trades, we are on it.")).isEmpty();
    assertThat(publicReply("Tracking number 1234-5678-9012, reference 01-23-456.")).isEmpty();
    assertThat(publicReply("Our hours are 10:00 - 18:00; the parcel weighs 0.5 kg.")).isEmpty();
    assertThat(publicReply("メンテナンスは 10:00ー12:00 です。")).isEmpty();
    assertThat(codes("お電話は ０９０ー１２３４ー５６７８ までお願いします。", false, false, 0))
        .as("a private response")
        .isEmpty();
  }

  @Test
  void aFirstResponseMustThankOrApologise() {
    assertThat(codes("We will look into it.", true, true, 0)).containsExactly("no_acknowledgement");
    assertThat(codes("確認いたします。", true, true, 0)).containsExactly("no_acknowledgement");
    for (String ok :
        List.of(
            "Thank you for letting us know; we will reply by DM.",
            "Sorry for the trouble — we are checking now.",
            "We apologise for the delay.",
            "ご連絡ありがとうございます。確認いたします。",
            "ご不便をおかけして申し訳ございません。",
            "このたびはご迷惑をおかけし、お詫び申し上げます。",
            "恐れ入りますが、少々お待ちください。",
            "すみません、すぐ確認します。")) {
      assertThat(codes(ok, true, true, 0)).as(ok).isEmpty();
    }
    assertThat(codes("We will look into it.", true, false, 0))
        .as("only the first response")
        .isEmpty();
  }

  @Test
  void theSameTextOnThreeOtherCasesIsCopyPaste() {
    assertThat(codes("Thank you, we are checking.", true, false, 2)).isEmpty();
    assertThat(codes("Thank you, we are checking.", true, false, 3)).containsExactly("copy_paste");
    assertThat(ResponseChecks.normalise("  Thank   you,\nWE are ＣＨＥＣＫＩＮＧ. "))
        .isEqualTo(ResponseChecks.normalise("thank you, we are checking."));
  }
}

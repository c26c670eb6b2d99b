package dev.nudge.party;

import java.time.Instant;
import java.util.List;

/** Request and response bodies of the party API. */
public final class PartyViews {

  private PartyViews() {}

  public record QuietHours(String start, String end) {}

  public record Channel(String type, String address) {}

  public record CreateParty(
      String handle,
      String displayName,
      String locale,
      String timeZone,
      QuietHours quietHours,
      List<Channel> channels) {}

  public record PartyView(
      String id,
      String handle,
      String displayName,
      String locale,
      String timeZone,
      QuietHours quietHours,
      List<Channel> channels,
      Instant createdAt,
      int version) {}
}

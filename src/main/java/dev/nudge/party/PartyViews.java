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

  /**
   * {@code PATCH /v1/parties/{id}}, read from the merge patch: a field left out is null here and
   * stays as it is; {@code clearQuietHours} says the patch set {@code quietHours} to null.
   */
  public record PartySettings(
      String displayName,
      String locale,
      String timeZone,
      QuietHours quietHours,
      boolean clearQuietHours,
      List<Channel> channels) {}

  /** Published when a party's settings changed, so reminders not yet sent follow them. */
  public record SettingsChanged(String tenantId, String partyId) {}

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

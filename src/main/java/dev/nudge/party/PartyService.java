package dev.nudge.party;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.http.ETags;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.QuietTime;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.PartyViews.Channel;
import dev.nudge.party.PartyViews.CreateParty;
import dev.nudge.party.PartyViews.PartySettings;
import dev.nudge.party.PartyViews.PartyView;
import dev.nudge.party.PartyViews.QuietHours;
import dev.nudge.party.PartyViews.SettingsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

@ApplicationScoped
public class PartyService {

  public static final Set<String> CHANNEL_TYPES = Set.of("x_dm", "email", "phone", "push", "line");

  private final Jdbc jdbc;
  private final PartyRepository parties;
  private final Caller caller;
  private final jakarta.enterprise.event.Event<SettingsChanged> changed;
  private final TenantClock clock;
  private final ObjectMapper json;

  public PartyService(
      Jdbc jdbc,
      PartyRepository parties,
      Caller caller,
      jakarta.enterprise.event.Event<SettingsChanged> changed,
      TenantClock clock,
      ObjectMapper json) {
    this.jdbc = jdbc;
    this.parties = parties;
    this.changed = changed;
    this.caller = caller;
    this.clock = clock;
    this.json = json;
  }

  public PartyView create(CreateParty r) {
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    String tenantId = caller.tenantId();
    Validator v =
        new Validator().required(r.handle(), "handle").maxLength(r.handle(), 100, "handle");
    v.maxLength(r.displayName(), 200, "displayName");
    v.required(r.locale(), "locale");
    checkLocale(r.locale(), v);
    v.required(r.timeZone(), "timeZone");
    checkZone(r.timeZone(), v);
    checkQuietHours(r.quietHours(), v);
    List<Channel> channels = r.channels() == null ? List.of() : r.channels();
    checkChannels(channels, v);
    v.throwIfInvalid();

    Party p = new Party();
    p.id = Ids.generate("pty");
    p.tenantId = tenantId;
    p.handle = r.handle().trim();
    p.displayName =
        r.displayName() == null || r.displayName().isBlank() ? p.handle : r.displayName().trim();
    p.locale = Languages.tag(r.locale());
    p.timeZone = ZoneId.of(r.timeZone()).getId();
    if (r.quietHours() != null) {
      p.quietStart = r.quietHours().start();
      p.quietEnd = r.quietHours().end();
    }
    p.channels = write(channels);
    p.createdAt = clock.now(tenantId);
    jdbc.transaction(
        c -> {
          parties.insert(c, p);
          return null;
        });
    return view(p);
  }

  public PartyView get(String id) {
    return view(require(id));
  }

  public Page<PartyView> list(String handle, PageRequest page) {
    String tenantId = caller.tenantId();
    return Page.of(
        jdbc.call(c -> parties.page(c, tenantId, handle, page.after(), page.limit())),
        page.limit(),
        this::view,
        p -> p.id);
  }

  /** The settings a merge patch names; any other field is a 400 (the handle never changes). */
  public PartySettings settings(com.fasterxml.jackson.databind.JsonNode patch)
      throws JsonProcessingException {
    if (patch == null || !patch.isObject()) {
      throw ApiProblem.validation("body", "must be a JSON object");
    }
    Validator v = new Validator();
    patch
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (!Set.of("displayName", "locale", "timeZone", "quietHours", "channels")
                  .contains(f)) {
                v.add(f, "is not a setting that can be changed");
              }
            });
    v.throwIfInvalid();
    return new PartySettings(
        value(patch, "displayName", json.constructType(String.class)),
        value(patch, "locale", json.constructType(String.class)),
        value(patch, "timeZone", json.constructType(String.class)),
        value(patch, "quietHours", json.constructType(QuietHours.class)),
        patch.has("quietHours") && patch.get("quietHours").isNull(),
        value(
            patch,
            "channels",
            json.getTypeFactory().constructCollectionType(List.class, Channel.class)));
  }

  /**
   * The patch's {@code field} read as {@code type}, null when absent or null. A value of the wrong
   * type or shape is the same 400 as in any request body, naming the field from the patch's top.
   */
  private <T> T value(
      com.fasterxml.jackson.databind.JsonNode patch,
      String field,
      com.fasterxml.jackson.databind.JavaType type)
      throws JsonProcessingException {
    com.fasterxml.jackson.databind.JsonNode node = patch.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return json.treeToValue(node, type);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      e.prependPath(patch, field);
      throw e;
    }
  }

  /**
   * Changes a party's settings; reminders not yet sent follow them (a held reminder moves to the
   * end of the new quiet hours, or goes out if the new settings no longer hold it), in the same
   * transaction.
   */
  public PartyView update(String id, PartySettings r, String ifMatch) {
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    Validator v = new Validator();
    v.check(
        r.displayName() == null || !r.displayName().isBlank(), "displayName", "must not be blank");
    v.maxLength(r.displayName(), 200, "displayName");
    checkLocale(r.locale(), v);
    checkZone(r.timeZone(), v);
    checkQuietHours(r.quietHours(), v);
    if (r.channels() != null) {
      checkChannels(r.channels(), v);
    }
    v.throwIfInvalid();
    return jdbc.transaction(c -> update(c, id, r, ifMatch));
  }

  /**
   * Applies the settings to the locked row. Only a real change writes the row and moves its version
   * (and so its ETag): a patch that repeats the current values leaves both as they were.
   */
  private PartyView update(Connection c, String id, PartySettings r, String ifMatch)
      throws SQLException {
    Party p =
        parties
            .lockForUpdate(c, caller.tenantId(), id)
            .orElseThrow(() -> ApiProblem.notFound("Party", id));
    mayRead(p);
    ETags.check(ifMatch, p.version);
    Settings before = settings(p);
    if (r.displayName() != null) {
      p.displayName = r.displayName().trim();
    }
    if (r.locale() != null) {
      p.locale = Languages.tag(r.locale());
    }
    if (r.timeZone() != null) {
      p.timeZone = ZoneId.of(r.timeZone()).getId();
    }
    if (r.quietHours() != null || r.clearQuietHours()) {
      p.quietStart = r.quietHours() == null ? null : r.quietHours().start();
      p.quietEnd = r.quietHours() == null ? null : r.quietHours().end();
    }
    if (r.channels() != null) {
      p.channels = write(r.channels());
    }
    if (!settings(p).equals(before)) {
      p.version++;
      parties.update(c, p);
      changed.fire(new SettingsChanged(p.tenantId, p.id));
    }
    return view(p);
  }

  /** What a patch may change, compared by value (the channels as read, not as stored text). */
  private record Settings(
      String displayName,
      String locale,
      String timeZone,
      String quietStart,
      String quietEnd,
      List<Channel> channels) {}

  private Settings settings(Party p) {
    return new Settings(p.displayName, p.locale, p.timeZone, p.quietStart, p.quietEnd, channels(p));
  }

  private static void checkLocale(String locale, Validator v) {
    v.check(
        locale == null || Languages.supported(locale),
        "locale",
        "must be a BCP 47 tag whose language is Japanese or English, such as ja, ja-JP, en or"
            + " en-US");
  }

  private static void checkZone(String zone, Validator v) {
    if (zone != null && !validZone(zone)) {
      v.add("timeZone", "must be an IANA time zone such as Asia/Tokyo");
    }
  }

  private static void checkQuietHours(QuietHours q, Validator v) {
    if (q != null) {
      LocalTime start = time(q.start(), "quietHours.start", v);
      LocalTime end = time(q.end(), "quietHours.end", v);
      v.check(start == null || !start.equals(end), "quietHours", "start and end must differ");
    }
  }

  private static void checkChannels(List<Channel> channels, Validator v) {
    v.check(channels.size() <= 10, "channels", "at most 10 channels");
    for (int i = 0; i < channels.size(); i++) {
      Channel c = channels.get(i);
      String f = "channels[" + i + "]";
      if (c == null) {
        v.add(f, "must be an object");
        continue;
      }
      v.check(
          c.type() != null && CHANNEL_TYPES.contains(c.type()),
          f + ".type",
          "must be one of " + String.join(", ", CHANNEL_TYPES.stream().sorted().toList()));
      v.required(c.address(), f + ".address").maxLength(c.address(), 320, f + ".address");
    }
  }

  /** Which of these ids are parties of the caller's tenant (without loading them), on {@code c}. */
  public Set<String> existing(Connection c, java.util.Collection<String> ids) throws SQLException {
    return parties.existing(c, caller.tenantId(), ids);
  }

  /** The caller's party, or 404 (another tenant's party does not exist for this caller). */
  public Party require(String id) {
    String tenantId = caller.tenantId();
    Party p =
        jdbc.call(c -> parties.find(c, tenantId, id))
            .orElseThrow(() -> ApiProblem.notFound("Party", id));
    mayRead(p);
    return p;
  }

  /** A party token may read and change only its own party. */
  private void mayRead(Party p) {
    if (caller.partyId() != null && !caller.partyId().equals(p.id)) {
      throw ApiProblem.forbidden("A party token may only read its own party.");
    }
  }

  public PartyView view(Party p) {
    return new PartyView(
        p.id,
        p.handle,
        p.displayName,
        p.locale,
        p.timeZone,
        p.quietStart == null ? null : new QuietHours(p.quietStart, p.quietEnd),
        channels(p),
        p.createdAt,
        p.version);
  }

  public List<Channel> channels(Party p) {
    try {
      return json.readValue(p.channels, new TypeReference<List<Channel>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored channels unreadable for " + p.id, e);
    }
  }

  private String write(List<Channel> channels) {
    try {
      return json.writeValueAsString(channels);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean validZone(String zone) {
    try {
      ZoneId.of(zone);
      return zone.contains("/") || zone.equals("UTC");
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static LocalTime time(String value, String field, Validator v) {
    if (value == null) {
      v.add(field, "is required");
      return null;
    }
    return QuietTime.parse(value)
        .orElseGet(
            () -> {
              v.add(field, "must be a time of day as HH:mm, from 00:00 to 23:59");
              return null;
            });
  }
}

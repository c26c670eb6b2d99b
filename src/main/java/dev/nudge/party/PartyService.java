package dev.nudge.party;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.QuietTime;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.PartyViews.Channel;
import dev.nudge.party.PartyViews.CreateParty;
import dev.nudge.party.PartyViews.PartyView;
import dev.nudge.party.PartyViews.QuietHours;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

@ApplicationScoped
public class PartyService {

  public static final Set<String> LOCALES = Set.of("ja", "en");
  public static final Set<String> CHANNEL_TYPES = Set.of("x_dm", "email", "phone", "push", "line");

  private final PartyRepository parties;
  private final Caller caller;
  private final TenantClock clock;
  private final ObjectMapper json;

  public PartyService(
      PartyRepository parties, Caller caller, TenantClock clock, ObjectMapper json) {
    this.parties = parties;
    this.caller = caller;
    this.clock = clock;
    this.json = json;
  }

  @Transactional
  public PartyView create(CreateParty r) {
    if (r == null) {
      throw ApiProblem.validation("body", "is required");
    }
    String tenantId = caller.tenantId();
    Validator v =
        new Validator().required(r.handle(), "handle").maxLength(r.handle(), 100, "handle");
    v.maxLength(r.displayName(), 200, "displayName");
    v.required(r.locale(), "locale");
    v.check(r.locale() == null || LOCALES.contains(r.locale()), "locale", "must be 'ja' or 'en'");
    v.required(r.timeZone(), "timeZone");
    if (r.timeZone() != null && !validZone(r.timeZone())) {
      v.add("timeZone", "must be an IANA time zone such as Asia/Tokyo");
    }
    if (r.quietHours() != null) {
      LocalTime start = time(r.quietHours().start(), "quietHours.start", v);
      LocalTime end = time(r.quietHours().end(), "quietHours.end", v);
      v.check(start == null || !start.equals(end), "quietHours", "start and end must differ");
    }
    List<Channel> channels = r.channels() == null ? List.of() : r.channels();
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
    v.throwIfInvalid();

    Party p = new Party();
    p.id = Ids.generate("pty");
    p.tenantId = tenantId;
    p.handle = r.handle().trim();
    p.displayName =
        r.displayName() == null || r.displayName().isBlank() ? p.handle : r.displayName().trim();
    p.locale = r.locale();
    p.timeZone = ZoneId.of(r.timeZone()).getId();
    if (r.quietHours() != null) {
      p.quietStart = r.quietHours().start();
      p.quietEnd = r.quietHours().end();
    }
    p.channels = write(channels);
    p.createdAt = clock.now(tenantId);
    parties.persist(p);
    parties.flush();
    return view(p);
  }

  @Transactional
  public PartyView get(String id) {
    return view(require(id));
  }

  @Transactional
  public Page<PartyView> list(PageRequest page) {
    return Page.of(
        parties.page(caller.tenantId(), page.after(), page.limit()),
        page.limit(),
        this::view,
        p -> p.id);
  }

  /** The caller's party, or 404 (another tenant's party does not exist for this caller). */
  public Party require(String id) {
    Party p =
        parties.find(caller.tenantId(), id).orElseThrow(() -> ApiProblem.notFound("Party", id));
    if (caller.partyId() != null && !caller.partyId().equals(id)) {
      throw ApiProblem.forbidden("A party token may only read its own party.");
    }
    return p;
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

package dev.nudge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.db.DatabaseUnavailable;
import dev.nudge.common.lifecycle.Stopping;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The feed as Server-Sent Events: each event's {@code id} is the feed cursor right after it, so a
 * reconnecting client's {@code Last-Event-ID} resumes exactly there. The stream polls the feed and
 * holds no database connection between polls.
 */
@RolesAllowed({Roles.TENANT, Roles.PARTY})
@Path("/v1/events/stream")
public class EventStreamResource {

  private static final int BATCH = 200;
  private static final Logger LOG = Logger.getLogger(EventStreamResource.class);

  private final EventFeed feed;
  private final Caller caller;
  private final ObjectMapper json;
  private final Duration pollInterval;
  private final Duration keepAlive;
  private final Stopping stopping;

  public EventStreamResource(
      EventFeed feed,
      Caller caller,
      ObjectMapper json,
      Stopping stopping,
      @ConfigProperty(name = "nudge.events.stream-poll-interval", defaultValue = "500ms")
          Duration pollInterval,
      @ConfigProperty(name = "nudge.events.stream-keep-alive", defaultValue = "15s")
          Duration keepAlive) {
    this.feed = feed;
    this.caller = caller;
    this.json = json;
    this.pollInterval = pollInterval;
    this.keepAlive = keepAlive;
    this.stopping = stopping;
  }

  @GET
  @Blocking
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public Multi<OutboundSseEvent> stream(
      @Context Sse sse,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("after") String after,
      @QueryParam("types") String types) {
    String tenantId = caller.tenantId();
    String partyId = caller.partyId();
    List<String> typeList = EventFeed.parseTypes(types);
    String start = lastEventId != null && !lastEventId.isBlank() ? lastEventId.trim() : after;
    feed.requireCurrent(tenantId, start);
    AtomicReference<String> cursor = new AtomicReference<>(start);
    AtomicLong lastSent = new AtomicLong(System.nanoTime());
    AtomicBoolean away = new AtomicBoolean();
    return Multi.createFrom()
        .ticks()
        .startingAfter(Duration.ofMillis(1))
        .every(pollInterval)
        // A shutdown ends the stream cleanly; the client reconnects with Last-Event-ID.
        .select()
        .first(tick -> !stopping.now())
        .onOverflow()
        .drop()
        .onItem()
        .transformToIterable(
            tick -> {
              List<EventFeed.Entry> entries;
              try {
                entries = feed.entries(tenantId, partyId, cursor.get(), typeList, BATCH);
                if (away.getAndSet(false)) {
                  LOG.info("Event stream resumed: the database answers again");
                }
              } catch (RuntimeException e) {
                if (!DatabaseUnavailable.causedBy(e)) {
                  throw e;
                }
                // The stream stays open through a database outage and resumes at its cursor.
                if (!away.getAndSet(true)) {
                  LOG.warnf(
                      "Event stream waiting for the database: %s", DatabaseUnavailable.describe(e));
                }
                entries = List.of();
              }
              List<OutboundSseEvent> out = new ArrayList<>(entries.size());
              for (EventFeed.Entry e : entries) {
                cursor.set(e.cursor());
                // No media type on the event: the frame is then only id, event and data.
                out.add(
                    sse.newEventBuilder()
                        .id(e.cursor())
                        .name(e.event().type())
                        .data(toJson(e.event()))
                        .build());
              }
              long now = System.nanoTime();
              if (!out.isEmpty()) {
                lastSent.set(now);
              } else if (keepAliveDue(Duration.ofNanos(now - lastSent.get()))) {
                // A comment line keeps proxies from closing an idle stream; clients ignore it.
                lastSent.set(now);
                out.add(sse.newEventBuilder().comment("keep-alive").build());
              }
              return out;
            });
  }

  /**
   * Whether an idle stream sends its keep-alive on this tick: when waiting for the next tick would
   * leave it silent for longer than {@code nudge.events.stream-keep-alive}, so that no silence
   * exceeds it.
   */
  boolean keepAliveDue(Duration idle) {
    return idle.plus(pollInterval).compareTo(keepAlive) > 0;
  }

  private String toJson(EventEnvelope event) {
    try {
      return json.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event not serializable", e);
    }
  }
}

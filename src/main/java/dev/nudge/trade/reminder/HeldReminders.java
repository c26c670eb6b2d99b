package dev.nudge.trade.reminder;

import dev.nudge.common.db.Jdbc;
import dev.nudge.common.time.TenantClock;
import dev.nudge.party.PartyViews.SettingsChanged;
import dev.nudge.trade.Trade;
import dev.nudge.trade.TradeChanges;
import dev.nudge.trade.TradeChanges.Extra;
import dev.nudge.trade.TradeCodec;
import dev.nudge.trade.TradeRepository;
import dev.nudge.trade.domain.TradeFacts;
import dev.nudge.trade.reminder.ReminderPipeline.Lookups;
import dev.nudge.trade.reminder.ReminderPipeline.Step;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reminders held for a party's quiet hours follow the party's new settings (SPEC §2): each is
 * planned again now, by the same pipeline, in the party's new language and time zone, so it moves
 * to the end of the new quiet hours or goes out now if they no longer hold it.
 */
@ApplicationScoped
public class HeldReminders {

  private final Jdbc jdbc;
  private final ReminderPipeline pipeline;
  private final TradeChanges changes;
  private final TradeCodec codec;
  private final TenantClock clock;

  public HeldReminders(
      Jdbc jdbc,
      ReminderPipeline pipeline,
      TradeChanges changes,
      TradeCodec codec,
      TenantClock clock) {
    this.jdbc = jdbc;
    this.pipeline = pipeline;
    this.changes = changes;
    this.codec = codec;
    this.clock = clock;
  }

  /** In the transaction that changed the party ({@code Jdbc.call} runs on it). */
  void onSettingsChanged(@Observes SettingsChanged e) {
    Instant now = clock.now(e.tenantId());
    jdbc.call(
        c -> {
          Map<String, Boolean> manual = new HashMap<>();
          List<Trade> trades = heldFor(c, e, manual);
          if (trades.isEmpty()) {
            return null;
          }
          Lookups lookups = pipeline.lookups(c, trades);
          for (Trade t : trades) {
            TradeFacts f = codec.facts(t);
            Step step = pipeline.remind(t, f, now, "system", manual.get(t.id), lookups);
            pipeline.write(c, List.of(step.record()));
            if (!step.sent() && step.record().scheduledFor.equals(f.reminders().nextAt())) {
              continue; // the same time: only the text followed (a new language, say)
            }
            changes.commit(
                c,
                t,
                step.after(),
                step.change(),
                step.sent()
                    ? new Extra("trade.reminder_due", ReminderView.of(step.record()))
                    : null,
                false);
          }
          return null;
        });
  }

  /** The party's trades with a held reminder, locked; and whether each was a manual nudge. */
  private static List<Trade> heldFor(Connection c, SettingsChanged e, Map<String, Boolean> manual)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select trade_id, manual from reminder where to_party_id = ? and tenant_id = ?"
                + " and status = 'deferred'")) {
      ps.setString(1, e.partyId());
      ps.setString(2, e.tenantId());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          manual.put(rs.getString(1), rs.getBoolean(2));
        }
      }
    }
    if (manual.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + TradeRepository.columns()
                + " from trade where id = any(?) and awaiting_party_id = ? order by id for update")) {
      ps.setArray(1, c.createArrayOf("text", manual.keySet().toArray()));
      ps.setString(2, e.partyId());
      List<Trade> out = new java.util.ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(TradeRepository.read(rs));
        }
      }
      return out;
    }
  }
}

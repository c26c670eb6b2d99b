package dev.nudge.complaint;

import dev.nudge.complaint.ComplaintChanges.Change;
import dev.nudge.complaint.ComplaintChanges.Extra;
import dev.nudge.complaint.ComplaintChanges.Prepared;
import dev.nudge.complaint.ComplaintRepository.Entry;
import dev.nudge.complaint.domain.ComplaintFacts;
import dev.nudge.complaint.domain.ComplaintTimers;
import dev.nudge.complaint.domain.ComplaintTimers.Breached;
import dev.nudge.complaint.domain.ComplaintTimers.Warned;
import dev.nudge.event.EventDraft;
import dev.nudge.event.EventOutbox;
import dev.nudge.schedule.TimerMachine;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Complaint cases on the timer engine (SPEC §3): a missed target warns, a missed deadline breaches
 * and escalates, a resolved case's follow-up falls due; each once, as {@link ComplaintTimers}
 * decides, dated when it was due.
 */
@ApplicationScoped
public class ComplaintTimerMachine
    implements TimerMachine<Complaint, ComplaintTimerMachine.ComplaintFired> {

  /** One case's fired timer, applied in memory and not yet written. */
  public record ComplaintFired(Prepared change, String fromState, Instant dueAt)
      implements TimerMachine.Fired {

    public String subjectId() {
      return change.complaint().id;
    }

    public String toState() {
      return change.complaint().state;
    }
  }

  private final ComplaintCodec codec;
  private final ComplaintChanges changes;
  private final ComplaintRepository complaints;
  private final EventOutbox outbox;

  public ComplaintTimerMachine(
      ComplaintCodec codec,
      ComplaintChanges changes,
      ComplaintRepository complaints,
      EventOutbox outbox) {
    this.codec = codec;
    this.changes = changes;
    this.complaints = complaints;
    this.outbox = outbox;
  }

  @Override
  public String name() {
    return "complaint";
  }

  @Override
  public String table() {
    return "complaint";
  }

  @Override
  public String columns() {
    return ComplaintRepository.columns();
  }

  @Override
  public Complaint read(ResultSet rs) throws SQLException {
    return ComplaintRepository.read(rs);
  }

  @Override
  public String id(Complaint row) {
    return row.id;
  }

  @Override
  public Decider<Complaint, ComplaintFired> prepare(Connection c, List<Complaint> rows) {
    return this::decide;
  }

  private Decision<ComplaintFired> decide(Complaint row, Instant now) {
    ComplaintFacts before = codec.facts(row);
    Instant due = ComplaintTimers.nextAt(before).orElse(null);
    ComplaintTimers.Fired f =
        due == null || due.isAfter(now) ? null : ComplaintTimers.fire(before, due).orElse(null);
    if (f == null) {
      return new Retime<>(due);
    }
    String action;
    Extra extra;
    String note;
    if (f instanceof Warned w) {
      action = "sla_warning";
      extra = new Extra(List.of("complaint.sla_warning"), w.metric().wire());
      note = "The " + w.metric().wire().replace('_', ' ') + " target passed";
    } else if (f instanceof Breached b) {
      action = "sla_breach";
      extra =
          new Extra(List.of("complaint.sla_breached", "complaint.escalated"), b.metric().wire());
      note =
          "The "
              + b.metric().wire().replace('_', ' ')
              + " deadline passed; escalated to level "
              + b.after().escalationLevel();
    } else {
      action = "follow_up_due";
      extra = Extra.of("complaint.follow_up_due");
      note = "Time to follow up with the customer";
    }
    Prepared p =
        changes.prepare(
            row, f.after(), new Change("system", action, before.state(), note, due), extra);
    return new Fire<>(new ComplaintFired(p, before.state().wire(), due));
  }

  @Override
  public void write(Connection c, List<ComplaintFired> fired) throws SQLException {
    List<Complaint> rows = new ArrayList<>(fired.size());
    List<Entry> history = new ArrayList<>(fired.size());
    List<EventDraft> events = new ArrayList<>(fired.size() * 2);
    for (ComplaintFired f : fired) {
      rows.add(f.change().complaint());
      history.add(f.change().history());
      events.addAll(f.change().events());
    }
    complaints.update(c, rows);
    complaints.insertHistory(c, history);
    outbox.appendAll(c, events);
  }
}

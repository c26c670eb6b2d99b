package dev.nudge.complaint.domain;

import dev.nudge.complaint.domain.ComplaintLifecycle.Params;
import java.time.Duration;
import java.time.Instant;

/**
 * Cases for domain tests, built the way support works them: {@code
 * aComplaint().severity(HIGH).respondedAfter(minutes(10)).build()}. A case opens at {@link #T0}.
 */
final class ComplaintBuilders {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private ComplaintBuilders() {}

  static Builder aComplaint() {
    return new Builder();
  }

  static Duration minutes(long m) {
    return Duration.ofMinutes(m);
  }

  static final class Builder {
    private Severity severity = Severity.NORMAL;
    private boolean publicCase = true;
    private ComplaintFacts f;
    private Instant now = T0;

    Builder severity(Severity s) {
      this.severity = s;
      return this;
    }

    Builder privateCase() {
      this.publicCase = false;
      return this;
    }

    private ComplaintFacts current() {
      if (f == null) {
        f = ComplaintFacts.opened(severity, publicCase, SlaTerms.defaults(severity), T0);
      }
      return f;
    }

    /** {@code action} happens {@code after} the previous step. */
    Builder then(ComplaintAction action, Duration after) {
      return then(action, after, Params.NONE);
    }

    Builder then(ComplaintAction action, Duration after, Params p) {
      now = now.plus(after);
      f = ComplaintLifecycle.act(current(), action, p, now).after();
      return this;
    }

    Builder respondedAfter(Duration d) {
      return then(ComplaintAction.RESPOND, d);
    }

    Builder resolvedAfter(Duration d) {
      return then(ComplaintAction.RESOLVE, d);
    }

    Builder closed() {
      return respondedAfter(minutes(5))
          .resolvedAfter(minutes(5))
          .then(ComplaintAction.RECORD_FOLLOW_UP, minutes(5), new Params(null, true));
    }

    /** When the last step happened. */
    Instant now() {
      current();
      return now;
    }

    ComplaintFacts build() {
      return current();
    }
  }
}

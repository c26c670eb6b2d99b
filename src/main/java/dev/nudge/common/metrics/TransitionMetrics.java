package dev.nudge.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code nudge_transitions_total{machine,from,to}}: every change of a subject, whether an action or
 * a timer caused it.
 */
@ApplicationScoped
public class TransitionMetrics {

  private final MeterRegistry metrics;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public TransitionMetrics(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  public void count(String machine, String from, String to) {
    counters
        .computeIfAbsent(
            machine + '/' + from + '>' + to,
            k ->
                Counter.builder("nudge.transitions")
                    .description("State changes, by machine and by the states they moved between")
                    .tag("machine", machine)
                    .tag("from", from)
                    .tag("to", to)
                    .register(metrics))
        .increment();
  }
}

package dev.nudge.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogWindowTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final LogWindow window = new LogWindow(Duration.ofSeconds(30), now::get);

  @Test
  void theFirstLineIsLoggedAndTheRestOfItsWindowLeftOut() {
    assertThat(window.admit()).isZero();
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(window.admit()).isEqualTo(-1);
    assertThat(window.admit()).isEqualTo(-1);
  }

  @Test
  void theFirstLineOfANewWindowCountsTheLinesLeftOutBeforeIt() {
    assertThat(window.admit()).isZero();
    window.admit();
    window.admit();
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(window.admit()).isEqualTo(2);
    assertThat(window.admit()).isEqualTo(-1);
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(window.admit()).isEqualTo(1);
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(window.admit()).isZero();
  }

  @Test
  void theSuffixSaysHowManyWereLeftOut() {
    assertThat(LogWindow.leftOut(0, "pool warnings")).isEmpty();
    assertThat(LogWindow.leftOut(3, "pool warnings"))
        .isEqualTo(" (3 more pool warnings since the last logged one were left out)");
  }
}

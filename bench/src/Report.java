import java.util.ArrayList;
import java.util.List;

/** Every figure as printed, and the summary of met / not met against SPEC §8. */
final class Report {

  record Target(String figure, String value, String baseline, String ratio, String target, Boolean met) {}

  final List<Target> targets = new ArrayList<>();
  private double maxRss;

  synchronized void rss(double mb) {
    maxRss = Math.max(maxRss, mb);
  }

  synchronized double maxRss() {
    return maxRss;
  }

  void line(String format, Object... args) {
    System.out.printf(format + "%n", args);
    System.out.flush();
  }

  void target(String figure, String value, String baseline, String ratio, String target, Boolean met) {
    targets.add(new Target(figure, value, baseline, ratio, target, met));
  }

  static String met(Boolean met) {
    return met == null ? "n/a" : met ? "met" : "NOT MET";
  }
}

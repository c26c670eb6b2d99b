package dev.nudge.common.paging;

import java.util.List;
import java.util.function.Function;

/** A list answer: {@code {data, nextCursor}}; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> data, String nextCursor) {

  /**
   * Builds a page from {@code limit + 1} fetched rows: the extra row only tells that more exist.
   */
  public static <R, T> Page<T> of(
      List<R> rows, int limit, Function<R, T> view, Function<R, String> key) {
    boolean more = rows.size() > limit;
    List<R> shown = more ? rows.subList(0, limit) : rows;
    String next = more ? Cursor.encode(key.apply(shown.get(shown.size() - 1))) : null;
    return new Page<>(shown.stream().map(view).toList(), next);
  }
}

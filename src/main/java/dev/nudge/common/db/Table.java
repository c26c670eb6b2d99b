package dev.nudge.common.db;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A table's columns, declared once: the select list, reading a row, and the set-based insert and
 * versioned update (one statement for any number of rows: a few through {@code json_to_recordset},
 * many by binary {@code COPY}) are all derived from the declaration, so a column is spelled in one
 * place.
 *
 * <p>Rows are plain objects. {@link Write#FIXED} columns are written on insert only; {@link
 * Write#MUTABLE} ones on every update. With a version column, an update writes a row only if its
 * stored version is one less than the row's (the caller bumps it once per change), so a row changed
 * meanwhile is left alone and counted out.
 */
public final class Table<T> {

  /** When a column is written. */
  public enum Write {
    /** Written on insert only. */
    FIXED,
    /** Written on insert and on every update. */
    MUTABLE,
    /** Never written: the database assigns it (an identity column). */
    GENERATED
  }

  private enum Type {
    TEXT("text"),
    INT("int"),
    BOOL("boolean"),
    TIMESTAMP("timestamptz"),
    JSON("json"),
    JSONB("jsonb"),
    BIGINT("bigint"),
    TEXT_ARRAY("text[]"),
    /** A {@code text} column whose value is held as its UTF-8 bytes. */
    UTF8("text");

    final String sql;

    Type(String sql) {
      this.sql = sql;
    }
  }

  /** A column; {@code alias} is its short name in JSON rows, so the JSON to parse stays small. */
  private record Column<T>(
      String name,
      String alias,
      Type type,
      Write write,
      Function<T, Object> get,
      BiConsumer<T, Object> set) {}

  private final String name;
  private final Supplier<T> factory;
  private final List<Column<T>> columns;
  private final Column<T> version;
  private final List<Column<T>> inserted;
  private final List<Column<T>> updatedGiven;
  private final String select;
  private final String insert;
  private final String update;
  private final String copyStatement;
  private final String createStaging;
  private final String copyStaging;
  private final String updateFromStaging;

  private Table(String name, Supplier<T> factory, List<Column<T>> columns) {
    this.name = name;
    this.factory = factory;
    this.columns = List.copyOf(columns);
    this.version =
        columns.stream().filter(c -> c.name().equals("version")).findFirst().orElse(null);
    this.select = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    this.inserted = columns.stream().filter(c -> c.write() != Write.GENERATED).toList();
    String names = inserted.stream().map(Column::name).collect(Collectors.joining(", "));
    String aliases = inserted.stream().map(this::alias).collect(Collectors.joining(", "));
    this.insert =
        "insert into "
            + name
            + " ("
            + names
            + ") select "
            + aliases
            + " from rows from (json_to_recordset(?::json) as ("
            + typed(inserted)
            + ")) with ordinality as x("
            + aliases
            + ", n) order by n";
    List<Column<T>> updated =
        columns.stream()
            .filter(c -> c.write() == Write.MUTABLE && c != version && !c.name().equals("id"))
            .toList();
    List<Column<T>> given = new ArrayList<>(updated);
    given.add(0, column("id"));
    if (version != null) {
      given.add(version);
    }
    this.updatedGiven = List.copyOf(given);
    String set =
        " t set "
            + updated.stream()
                .map(c -> c.name() + " = x." + alias(c))
                .collect(Collectors.joining(", "))
            + (version == null ? "" : ", version = x." + alias(version));
    String where =
        " where t.id = x."
            + alias(column("id"))
            + (version == null ? "" : " and t.version = x." + alias(version) + " - 1");
    this.update =
        "update "
            + name
            + set
            + " from json_to_recordset(?::json) as x("
            + typed(given)
            + ")"
            + where;
    this.copyStatement = "copy " + name + " (" + names + ") from stdin (format binary)";
    // Many rows' new values travel as binary COPY into a temporary table of the session, which
    // the update empties as it joins it: no JSON to build, send and parse, no value converted
    // from text, and a second update in the same transaction (the halves of a refused batch)
    // sees only its own rows. The name carries the column list's hash, so a session that outlives
    // a change of the declaration never copies into a table of the old shape.
    String staging =
        "staged_" + name + "_" + Integer.toHexString(typed(given).hashCode() & 0x7fffffff);
    this.createStaging =
        "create temp table if not exists "
            + staging
            + " ("
            + typed(given)
            + ") on commit delete rows";
    this.copyStaging = "copy pg_temp." + staging + " from stdin (format binary)";
    this.updateFromStaging =
        "with x as (delete from pg_temp."
            + staging
            + " returning *) update "
            + name
            + set
            + " from x"
            + where;
  }

  private String alias(Column<T> c) {
    return c.alias();
  }

  public static <T> Builder<T> of(String name, Supplier<T> factory) {
    return new Builder<>(name, factory);
  }

  public String name() {
    return name;
  }

  /** The columns as a select list. */
  public String columns() {
    return select;
  }

  /**
   * Reads the current row of {@code rs}, whose select list ends with {@link #columns()} (a caller
   * may select its own columns before them). Columns are read by position: by name, the driver
   * would build and search a map of the names for every result set.
   */
  public T read(ResultSet rs) throws SQLException {
    int offset = rs.getMetaData().getColumnCount() - columns.size();
    T row = factory.get();
    for (int i = 0; i < columns.size(); i++) {
      Column<T> c = columns.get(i);
      c.set().accept(row, value(rs, c, offset + i + 1));
    }
    return row;
  }

  /** Runs a query selecting {@link #columns()} and reads every row. */
  public List<T> query(PreparedStatement ps) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs));
      }
    }
    return out;
  }

  /** Runs a query selecting {@link #columns()} and reads its first row, if there is one. */
  public Optional<T> one(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(read(rs)) : Optional.empty();
    }
  }

  /** From this many rows on, an insert travels as binary {@code COPY} rather than one statement. */
  static final int COPY_FROM = 16;

  /**
   * Inserts the rows, in list order: a few in one statement, many with binary {@code COPY} (no SQL
   * to parse or plan per row, no values to convert from text).
   */
  public void insert(Connection c, ObjectMapper json, Collection<T> rows) throws SQLException {
    if (rows.size() >= COPY_FROM) {
      copy(c, rows);
    } else if (!rows.isEmpty()) {
      execute(c, insert, json(json, rows, inserted));
    }
  }

  private void copy(Connection c, Collection<T> rows) throws SQLException {
    copy(c, rows, inserted, copyStatement);
  }

  private void copy(Connection c, Collection<T> rows, List<Column<T>> written, String statement)
      throws SQLException {
    BinaryCopy copy = new BinaryCopy(rows.size());
    for (T row : rows) {
      copy.row(written.size());
      for (Column<T> col : written) {
        Object v = col.get().apply(row);
        switch (col.type()) {
          case TEXT, JSON -> copy.text((String) v);
          case JSONB -> copy.jsonb((String) v);
          case INT -> copy.int4((Integer) v);
          case BIGINT -> copy.int8((Long) v);
          case BOOL -> copy.bool((Boolean) v);
          case TIMESTAMP -> copy.timestamp((Instant) v);
          case TEXT_ARRAY -> copy.textArray(texts(v));
          case UTF8 -> copy.utf8((byte[]) v);
        }
      }
    }
    copy.send(c, statement);
  }

  @SuppressWarnings("unchecked")
  private static List<String> texts(Object v) {
    return (List<String>) v;
  }

  /**
   * Writes the mutable columns of the rows in one statement (many rows: their values sent ahead by
   * binary {@code COPY}); returns how many were written (with a version column: only rows whose
   * stored version is one less than theirs).
   */
  public int update(Connection c, ObjectMapper json, Collection<T> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    // Outside a transaction the staged rows would not outlive the COPY's own commit.
    if (rows.size() < COPY_FROM || c.getAutoCommit()) {
      return execute(c, update, json(json, rows, updatedGiven));
    }
    try (Statement s = c.createStatement()) {
      s.execute(createStaging);
    }
    copy(c, rows, updatedGiven, copyStaging);
    try (PreparedStatement ps = c.prepareStatement(updateFromStaging)) {
      return ps.executeUpdate();
    }
  }

  /**
   * Writes one row the caller holds locked (and, with a version column, has bumped): it is always
   * written, so anything else is a bug, not a conflict.
   */
  public void updateOne(Connection c, ObjectMapper json, T row) throws SQLException {
    int rows = update(c, json, List.of(row));
    if (rows != 1) {
      throw new IllegalStateException(name + ": wrote " + rows + " rows for one, expected 1");
    }
  }

  /** Binds {@code params} to the statement's parameters, in order. */
  public static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }

  private String json(ObjectMapper json, Collection<T> rows, List<Column<T>> written) {
    JsonRows out = new JsonRows(json, rows.size());
    for (T row : rows) {
      out.row();
      for (Column<T> c : written) {
        Object v = c.get().apply(row);
        String key = alias(c);
        switch (c.type()) {
          case TEXT -> out.put(key, (String) v);
          case INT -> {
            if (v == null) {
              out.putJson(key, null);
            } else {
              out.put(key, (int) (Integer) v);
            }
          }
          case BIGINT -> out.put(key, (Long) v);
          case BOOL -> out.put(key, (boolean) (Boolean) v);
          case TIMESTAMP -> out.put(key, (Instant) v);
          case JSON, JSONB -> out.putJson(key, (String) v);
          case TEXT_ARRAY -> out.put(key, texts(v));
          case UTF8 -> out.put(key, v == null ? null : new String((byte[]) v, UTF_8));
        }
      }
    }
    return out.json();
  }

  private static int execute(Connection c, String sql, String rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, rows);
      return ps.executeUpdate();
    }
  }

  private static Object value(ResultSet rs, Column<?> c, int i) throws SQLException {
    return switch (c.type()) {
      case TEXT, JSON, JSONB -> rs.getString(i);
      case UTF8 -> {
        String v = rs.getString(i);
        yield v == null ? null : v.getBytes(UTF_8);
      }
      case TEXT_ARRAY -> {
        java.sql.Array a = rs.getArray(i);
        yield a == null ? null : List.of((String[]) a.getArray());
      }
      case INT -> rs.getInt(i);
      case BIGINT -> {
        long v = rs.getLong(i);
        yield rs.wasNull() ? null : v;
      }
      case BOOL -> rs.getBoolean(i);
      case TIMESTAMP -> {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        yield v == null ? null : v.toInstant();
      }
    };
  }

  private Column<T> column(String name) {
    return columns.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(this.name + " has no column " + name));
  }

  private static String typed(List<? extends Column<?>> columns) {
    return columns.stream()
        .map(c -> c.alias() + " " + c.type().sql)
        .collect(Collectors.joining(", "));
  }

  /** Declares the columns in select order. */
  public static final class Builder<T> {
    private final String name;
    private final Supplier<T> factory;
    private final List<Column<T>> columns = new ArrayList<>();

    private Builder(String name, Supplier<T> factory) {
      this.name = name;
      this.factory = factory;
    }

    public Builder<T> text(
        Write w, String column, Function<T, String> get, BiConsumer<T, String> set) {
      return add(column, Type.TEXT, w, get, set);
    }

    /** A {@code json} column, held as its JSON text. */
    public Builder<T> json(
        Write w, String column, Function<T, String> get, BiConsumer<T, String> set) {
      return add(column, Type.JSON, w, get, set);
    }

    /** A {@code jsonb} column, held as its JSON text. */
    public Builder<T> jsonb(
        Write w, String column, Function<T, String> get, BiConsumer<T, String> set) {
      return add(column, Type.JSONB, w, get, set);
    }

    /**
     * A {@code text} column held as its UTF-8 bytes: for large values the writer has as bytes
     * already, which a binary {@code COPY} then sends as they are.
     */
    public Builder<T> utf8(
        Write w, String column, Function<T, byte[]> get, BiConsumer<T, byte[]> set) {
      return add(column, Type.UTF8, w, get, set);
    }

    /** A {@code text[]} column. */
    public Builder<T> texts(
        Write w, String column, Function<T, List<String>> get, BiConsumer<T, List<String>> set) {
      return add(column, Type.TEXT_ARRAY, w, get, set);
    }

    public Builder<T> integer(
        Write w, String column, Function<T, Integer> get, BiConsumer<T, Integer> set) {
      return add(column, Type.INT, w, get, set);
    }

    public Builder<T> bigint(
        Write w, String column, Function<T, Long> get, BiConsumer<T, Long> set) {
      return add(column, Type.BIGINT, w, get, set);
    }

    public Builder<T> bool(
        Write w, String column, Function<T, Boolean> get, BiConsumer<T, Boolean> set) {
      return add(column, Type.BOOL, w, get, set);
    }

    public Builder<T> instant(
        Write w, String column, Function<T, Instant> get, BiConsumer<T, Instant> set) {
      return add(column, Type.TIMESTAMP, w, get, set);
    }

    @SuppressWarnings("unchecked")
    private <V> Builder<T> add(
        String column, Type type, Write w, Function<T, V> get, BiConsumer<T, V> set) {
      columns.add(
          new Column<>(
              column,
              "c" + columns.size(),
              type,
              w,
              (Function<T, Object>) get,
              (row, v) -> set.accept(row, (V) v)));
      return this;
    }

    public Table<T> build() {
      return new Table<>(name, factory, columns);
    }
  }
}

package dev.nudge.hostile;

import static dev.nudge.support.Gen.weight;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.hostile.HostileRequest.Header;
import dev.nudge.support.Contract;
import dev.nudge.support.Contract.Operation;
import dev.nudge.support.Gen;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Hostile requests for every operation of the contract, built from its paths, parameters and
 * request schemas: a new endpoint is covered without a change here.
 *
 * <ul>
 *   <li>{@link #bodies}: bodies shaped by the schema with hostile field values (wrong types, huge
 *       and empty text, unicode edge cases, extreme numbers, bad durations, zones, timestamps, ids
 *       and URLs, deep nesting), unknown and duplicated keys, non-objects, malformed JSON.
 *   <li>{@link #targets}: hostile path ids and query parameters (bad, foreign and huge ids, bad
 *       cursors and limits, undeclared and repeated parameters, broken percent-encoding).
 *   <li>{@link #envelopes}: hostile headers and encodings (credentials, content types and charsets,
 *       Accept, Idempotency-Key, If-Match, Last-Event-ID, chunked bodies, methods).
 * </ul>
 */
final class Requests {

  private static final Set<String> DURATION_FIELDS =
      Set.of(
          "replywindow",
          "reminderinterval",
          "minreminderspacing",
          "finalgrace",
          "by",
          "extendby",
          "expiresin",
          "firstresponsetarget",
          "firstresponsedeadline",
          "nextreplytarget",
          "nextreplydeadline",
          "followupafter");

  private final World world;
  private final List<Operation> operations = Contract.operations();

  private final List<Gen<HostileRequest>> bodies = new ArrayList<>();
  private final List<Gen<HostileRequest>> targets = new ArrayList<>();
  private final List<Gen<HostileRequest>> envelopes = new ArrayList<>();

  Requests(World world) {
    this.world = world;
    for (Operation op : operations) {
      if (op.takesBody()) {
        bodies.add(bodyRequest(op));
      }
      targets.add(targetRequest(op));
      envelopes.add(envelopeRequest(op));
    }
  }

  Gen<HostileRequest> bodies() {
    return Gen.of(bodies).flatMap(g -> g);
  }

  Gen<HostileRequest> targets() {
    return Gen.of(targets).flatMap(g -> g);
  }

  Gen<HostileRequest> envelopes() {
    return Gen.of(envelopes).flatMap(g -> g);
  }

  private Gen<HostileRequest> bodyRequest(Operation op) {
    Gen<String> path = validPath(op);
    Gen<byte[]> body = hostileBody(op);
    List<Header> headers = standardHeaders(op);
    return r -> new HostileRequest(op, op.method(), path.next(r), headers, body.next(r), false);
  }

  private Gen<HostileRequest> targetRequest(Operation op) {
    Gen<String> path = hostilePath(op);
    Gen<String> query = hostileQuery(op);
    Gen<String> body = plausibleBody(op);
    List<Header> headers = standardHeaders(op);
    return r ->
        new HostileRequest(
            op,
            op.method(),
            path.next(r) + query.next(r),
            headers,
            op.takesBody() ? HostileValues.utf8(body.next(r)) : null,
            false);
  }

  private Gen<HostileRequest> envelopeRequest(Operation op) {
    Gen<String> path = validPath(op);
    Gen<String> methods = method(op);
    Gen<List<Header>> headers = hostileHeaders(op);
    Gen<String> body = plausibleBody(op);
    Gen<Charset> charsets = charset();
    return r -> {
      String method = methods.next(r);
      List<Header> h = headers.next(r);
      String text = body.next(r);
      Charset charset = charsets.next(r);
      boolean chunked = r.nextInt(4) == 0;
      boolean bodiless = method.equals("GET") || method.equals("HEAD") || method.equals("DELETE");
      return new HostileRequest(
          op, method, path.next(r), h, bodiless ? null : text.getBytes(charset), chunked);
    };
  }

  // --- paths ------------------------------------------------------------------------------

  private Gen<String> validPath(Operation op) {
    return pathWith(op, false);
  }

  private Gen<String> hostilePath(Operation op) {
    return pathWith(op, true);
  }

  private Gen<String> pathWith(Operation op, boolean hostile) {
    List<String> names = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(op.path());
    while (m.find()) {
      names.add(m.group(1));
    }
    if (names.isEmpty()) {
      return Gen.just(op.path());
    }
    List<Gen<String>> values = new ArrayList<>();
    for (String name : names) {
      Gen<String> own = Gen.of(world.own.get(name)).map(Requests::encodeSegment);
      if (!hostile) {
        values.add(own);
        continue;
      }
      List<String> foreign = world.other.getOrDefault(name, world.own.get(name));
      values.add(
          Gen.frequency(
              weight(5, own),
              weight(2, Gen.of(foreign).map(Requests::encodeSegment)),
              weight(3, hostileSegment())));
    }
    return Gen.all(values)
        .map(
            list -> {
              String p = op.path();
              for (int i = 0; i < names.size(); i++) {
                p = p.replace("{" + names.get(i) + "}", list.get(i));
              }
              return p;
            });
  }

  /** A path segment as sent: some well encoded, some deliberately not. */
  private static Gen<String> hostileSegment() {
    Gen<String> encoded =
        Gen.frequency(
                weight(3, HostileValues.text()),
                weight(
                    2,
                    Gen.of(
                        "",
                        "..",
                        ".",
                        "-1",
                        "0",
                        "trd_" + "z".repeat(26),
                        "pty_00000000000000000000000000",
                        "a/b",
                        "undefined",
                        "*")))
            .map(Requests::encodeSegment);
    Gen<String> raw =
        Gen.of("%zz", "%", "%0", "%00", "%2e%2e", "%ff%fe", "%C0%AF", "a|b", "%u0041");
    return Gen.frequency(weight(4, encoded), weight(1, raw));
  }

  private static String encodeSegment(String s) {
    if (s.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
      // A lone surrogate has no UTF-8 form: send its code unit in the 0xff-range instead.
      s = s.replaceAll("[\\ud800-\\udfff]", "\u00ff");
    }
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // --- query ------------------------------------------------------------------------------

  private Gen<String> hostileQuery(Operation op) {
    List<String> names = op.parameters("query").stream().map(p -> p.get("name").asText()).toList();
    List<Gen<String>> parts = new ArrayList<>();
    for (String name : names) {
      parts.add(
          Gen.frequency(
              weight(2, Gen.just("")),
              weight(2, plausibleQueryValue(name).map(v -> name + "=" + encodeSegment(v))),
              weight(3, hostileQueryValue().map(v -> name + "=" + v))));
    }
    Gen<String> extra =
        Gen.frequency(
            weight(14, Gen.just("")),
            weight(2, Gen.of("cursor=abc", "colour=red", "token=x", "LIMIT=1", "=1", "&&", "a")),
            weight(
                1,
                names.isEmpty() ? Gen.just("x=1") : Gen.of(names).map(n -> n + "=1&" + n + "=2")));
    Gen<List<String>> all = Gen.all(parts);
    return r -> {
      List<String> list = all.next(r);
      String more = extra.next(r);
      return join(list, more);
    };
  }

  private static String join(List<String> list, String more) {
    List<String> all = new ArrayList<>(list.stream().filter(s -> !s.isEmpty()).toList());
    if (!more.isEmpty()) {
      all.add(more);
    }
    return all.isEmpty() ? "" : "?" + String.join("&", all);
  }

  private Gen<String> plausibleQueryValue(String name) {
    return switch (name) {
      case "limit" -> Gen.of("1", "50", "200");
      case "cursor", "after" -> Gen.of(world.cursors);
      case "state" -> Gen.of("agreed", "awaiting_reply", "open", "closed");
      case "severity" -> Gen.of("low", "critical");
      case "category" -> Gen.of("delivery", "other");
      case "breached", "strict" -> Gen.of("true", "false");
      case "from", "to" -> Gen.of("2026-11-01T00:00:00Z", "2027-01-01T00:00:00Z");
      case "types" -> Gen.of("trade.*", "complaint.sla_breached,trade.created");
      case "status" -> Gen.of("sent", "scheduled");
      case "partyId" -> Gen.of(world.own.get("partyId"));
      case "token" -> Gen.just(world.partyToken);
      default -> Gen.just("x");
    };
  }

  /** Values as sent on the wire (already encoded, or deliberately broken). */
  private Gen<String> hostileQueryValue() {
    Gen<String> encoded =
        Gen.frequency(
                weight(3, HostileValues.text()),
                weight(
                    3,
                    Gen.of(
                        "0",
                        "-1",
                        "201",
                        "1.5",
                        "1e3",
                        "99999999999999999999",
                        "abc",
                        "true",
                        "yes",
                        "c1:",
                        "YzE6",
                        "YzE6LTE",
                        "YzE6Li4v",
                        "!!!",
                        "====",
                        "trade.*,,",
                        "*",
                        "trade.",
                        "2026-13-45T99:00:00Z",
                        "now")),
                weight(1, Gen.of(world.other.get("partyId"))),
                weight(1, Gen.of(world.cursors).map(c -> c.substring(0, c.length() / 2))),
                weight(
                    1, Gen.of(world.cursors).map(c -> new StringBuilder(c).reverse().toString())))
            .map(Requests::encodeSegment);
    Gen<String> raw = Gen.of("%zz", "%", "%00", "%ff", "a%2", "a|b", "%E2%80%AE");
    return Gen.frequency(weight(5, encoded), weight(1, raw));
  }

  // --- headers ----------------------------------------------------------------------------

  private List<Header> standardHeaders(Operation op) {
    List<Header> h = new ArrayList<>();
    h.add(new Header("Authorization", "Bearer " + keyFor(op)));
    if (op.takesBody()) {
      h.add(new Header("Content-Type", "application/json"));
    }
    return h;
  }

  private String keyFor(Operation op) {
    return op.tenantManagement() ? World.ADMIN_KEY : world.keyA;
  }

  private Gen<String> method(Operation op) {
    return Gen.frequency(
        weight(8, Gen.just(op.method())),
        weight(1, Gen.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")),
        weight(1, Gen.of("TRACE", "CONNECT", "PROPFIND", "FOO", "get")));
  }

  private Gen<List<Header>> hostileHeaders(Operation op) {
    String key = keyFor(op);
    Gen<Optional<Header>> auth =
        Gen.frequency(
            weight(10, Gen.just(Optional.of(new Header("Authorization", "Bearer " + key)))),
            weight(1, Gen.just(Optional.empty())),
            weight(
                3,
                Gen.of(
                        "Bearer",
                        "Bearer ",
                        "bearer " + key,
                        "Bearer  " + key + "  ",
                        "Basic " + key,
                        "Bearer nk_live_" + "0".repeat(40),
                        "Bearer nk_party_xyz",
                        "Bearer " + world.keyB,
                        "Bearer " + world.partyToken,
                        "Bearer " + World.ADMIN_KEY,
                        "Bearer " + key + "x",
                        "Bearer " + "k".repeat(5000),
                        "Bearer \u00e9\u00e8",
                        "Token " + key)
                    .map(v -> Optional.of(new Header("Authorization", v)))));
    Gen<Optional<Header>> contentType =
        Gen.frequency(
            weight(6, Gen.just(Optional.of(new Header("Content-Type", "application/json")))),
            weight(1, Gen.just(Optional.empty())),
            weight(
                4,
                Gen.of(
                        "application/json; charset=utf-8",
                        "application/json; charset=UTF-16",
                        "application/json; charset=iso-8859-1",
                        "application/json; charset=bogus",
                        "application/json;charset=",
                        "application/merge-patch+json",
                        "application/problem+json",
                        "text/plain",
                        "text/json",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "application/xml",
                        "*/*",
                        "application/*",
                        "application/jsonx",
                        "",
                        "json",
                        "application/json, text/plain")
                    .map(v -> Optional.of(new Header("Content-Type", v)))));
    Gen<Optional<Header>> accept =
        Gen.frequency(
            weight(6, Gen.just(Optional.empty())),
            weight(
                2,
                Gen.of(
                        "application/json",
                        "text/html",
                        "application/xml",
                        "*/*",
                        "application/problem+json",
                        "text/event-stream",
                        "text/calendar",
                        "application/json;q=0",
                        "garbage",
                        "")
                    .map(v -> Optional.of(new Header("Accept", v)))));
    Gen<Optional<Header>> extra =
        Gen.frequency(
            weight(5, Gen.just(Optional.empty())),
            weight(
                4,
                Gen.of(
                        new Header("Idempotency-Key", ""),
                        new Header("Idempotency-Key", "k".repeat(256)),
                        new Header("Idempotency-Key", "retry-\u00e9"),
                        new Header("Idempotency-Key", "same-key"),
                        new Header("If-Match", "\"0\""),
                        new Header("If-Match", "*"),
                        new Header("If-Match", "W/\"1\""),
                        new Header("If-Match", "\"99999999999999999999\""),
                        new Header("If-Match", "garbage"),
                        new Header("If-Match", ""),
                        new Header("Last-Event-ID", "garbage"),
                        new Header("Last-Event-ID", world.cursors.get(0) + "x"),
                        new Header("Content-Encoding", "gzip"),
                        new Header("Content-Encoding", "br"),
                        new Header("Expect", "100-continue"),
                        new Header("X-HTTP-Method-Override", "DELETE"),
                        new Header("Origin", "https://evil.example"),
                        new Header("Forwarded", "for=1.2.3.4;host=evil;proto=https"),
                        new Header("X-Forwarded-Host", "evil.example"),
                        new Header("Range", "bytes=0-10"),
                        new Header("Cookie", "a=b"),
                        new Header("X-Long", "v".repeat(15_000)))
                    .map(Optional::of)));
    return r -> {
      List<Header> h = new ArrayList<>();
      for (Gen<Optional<Header>> g : List.of(auth, contentType, accept, extra, extra)) {
        g.next(r).ifPresent(h::add);
      }
      return h;
    };
  }

  private static Gen<Charset> charset() {
    return Gen.frequency(
        weight(8, Gen.just(StandardCharsets.UTF_8)),
        weight(
            1,
            Gen.of(
                StandardCharsets.UTF_16,
                StandardCharsets.UTF_16LE,
                StandardCharsets.ISO_8859_1,
                Charset.forName("UTF-32"))));
  }

  // --- bodies -----------------------------------------------------------------------------

  private Gen<String> plausibleBody(Operation op) {
    return op.requestSchema().map(s -> value(s, "", 0, 0)).orElse(Gen.just("{}"));
  }

  private Gen<byte[]> hostileBody(Operation op) {
    Gen<String> shaped =
        op.requestSchema().map(s -> value(s, "", 2, 0)).orElse(HostileValues.jsonAnything());
    Gen<String> plausible = plausibleBody(op);
    Gen<byte[]> text =
        Gen.frequency(
                weight(14, shaped),
                weight(2, HostileValues.jsonAnything()),
                weight(3, plausible.flatMap(Requests::malformed)),
                weight(1, Gen.just("")),
                weight(
                    1,
                    Gen.of(60_000, 65_536, 70_000).map(n -> "{\"x\":\"" + "a".repeat(n) + "\"}")))
            .map(HostileValues::utf8);
    Gen<byte[]> bytes = plausible.flatMap(Requests::badBytes);
    return Gen.frequency(weight(12, text), weight(1, bytes));
  }

  /** Text that is not valid JSON, or JSON with a key given twice. */
  private static Gen<String> malformed(String valid) {
    List<String> forms = new ArrayList<>();
    forms.add(valid.substring(0, valid.length() / 2));
    forms.add(valid + "garbage");
    forms.add(valid + valid);
    forms.add("\ufeff" + valid);
    forms.add("/* note */" + valid);
    forms.add(valid.replace('"', '\''));
    forms.add("{\"a\": NaN, \"b\": Infinity}");
    forms.add("{\"a\": 01}");
    forms.add("{\"a\": .5}");
    forms.add("{\"a\": \"\\x41\"}");
    forms.add("{\"a\": \"\\ud800\\u0041\"}");
    forms.add("{,}");
    forms.add("{\"a\":1,}");
    forms.add("[1,2,]");
    forms.add("\"unterminated");
    if (valid.startsWith("{\"")) {
      int colon = valid.indexOf("\":");
      int end = valid.indexOf(',', colon);
      if (colon > 0 && end > 0) {
        // The first member again at the end: a key given twice.
        forms.add(valid.substring(0, valid.length() - 1) + "," + valid.substring(1, end) + "}");
      }
    }
    return Gen.of(forms);
  }

  /** Bytes that are not UTF-8 at all. */
  private static Gen<byte[]> badBytes(String valid) {
    byte[] utf8 = HostileValues.utf8(valid);
    return Gen.of(
        new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'},
        concat(utf8, new byte[] {(byte) 0xc3}),
        concat(
            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xe2, (byte) 0x28, '"', '}'},
            new byte[0]),
        concat(
            new byte[] {
              '{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'
            },
            new byte[0]),
        concat(
            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'},
            new byte[0]),
        concat(new byte[] {0, 0, 0, '{'}, utf8),
        valid.getBytes(StandardCharsets.UTF_16));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * A JSON value for {@code schema}: with {@code hostility} 0 a plausible one; otherwise each value
   * has a {@code hostility} in ten chance of being hostile.
   */
  private Gen<String> value(JsonNode schema, String name, int hostility, int depth) {
    JsonNode s = Contract.resolve(schema);
    Gen<String> plausible = plausible(s, name, hostility, depth);
    if (hostility == 0) {
      return plausible;
    }
    return Gen.frequency(weight(10 - hostility, plausible), weight(hostility, hostile(s, name)));
  }

  private Gen<String> plausible(JsonNode s, String name, int hostility, int depth) {
    if (s.has("allOf")) {
      return plausible(merge(s.get("allOf")), name, hostility, depth);
    }
    if (s.has("oneOf") || s.has("anyOf")) {
      JsonNode options = s.has("oneOf") ? s.get("oneOf") : s.get("anyOf");
      List<Gen<String>> alternatives = new ArrayList<>();
      options.forEach(
          o -> alternatives.add(plausible(Contract.resolve(o), name, hostility, depth)));
      return Gen.of(alternatives).flatMap(g -> g);
    }
    if (s.has("enum")) {
      List<String> values = new ArrayList<>();
      s.get("enum")
          .forEach(
              v ->
                  values.add(v.isTextual() ? HostileValues.quote(v.asText(), true) : v.toString()));
      return Gen.of(values);
    }
    String type = s.path("type").asText(s.has("properties") ? "object" : "");
    return switch (type) {
      case "object" -> object(s, hostility, depth);
      case "array" ->
          depth > 4
              ? Gen.just("[]")
              : value(s.path("items"), name, hostility, depth + 1)
                  .list(1, 2)
                  .map(l -> "[" + String.join(",", l) + "]");
      case "integer" ->
          Gen.just(
              s.has("example")
                  ? s.get("example").toString()
                  : s.has("minimum") ? s.get("minimum").toString() : "1");
      case "number" -> Gen.just("1");
      case "boolean" -> Gen.of("true", "false");
      case "string" -> plausibleText(s, name).map(t -> HostileValues.quote(t, true));
      default -> Gen.of("{}", "\"x\"");
    };
  }

  private Gen<String> plausibleText(JsonNode s, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (DURATION_FIELDS.contains(n)) {
      return Gen.of("P1D", "PT1H", "P1W");
    }
    if ("date-time".equals(s.path("format").asText())
        || Set.of("since", "at", "postedat").contains(n)) {
      return Gen.just("2026-11-22T10:00:00Z");
    }
    return switch (n) {
      case "initiatorid", "counterpartyid", "partyid", "frompartyid" ->
          Gen.of(world.own.get("partyId"));
      case "policyid" -> Gen.of(world.own.get("policyId"));
      case "tradeid" -> Gen.of(world.own.get("tradeId"));
      case "url" -> Gen.just(World.HOOK);
      case "sourceurl", "evidenceurl" -> Gen.just("https://x.com/aki/status/1");
      case "handle" -> Gen.alphanumeric(1, 8).map(h -> "@" + h);
      case "timezone" -> Gen.of("Asia/Tokyo", "UTC");
      case "locale" -> Gen.of("en", "ja", "en-US");
      case "start" -> Gen.just("22:00");
      case "end" -> Gen.just("08:00");
      case "currency" -> Gen.just("JPY");
      case "value" -> Gen.just("1200");
      default ->
          Gen.just(
              s.has("example") && s.get("example").isTextual()
                  ? s.get("example").asText()
                  : "text");
    };
  }

  private Gen<String> hostile(JsonNode s, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    String type = s.path("type").asText();
    Gen<String> aware;
    if (DURATION_FIELDS.contains(n)) {
      aware = quoted(Gen.of(HostileValues.DURATIONS));
    } else if (n.equals("timezone")) {
      aware = quoted(Gen.of(HostileValues.ZONES));
    } else if (n.equals("locale")) {
      aware = quoted(Gen.of(HostileValues.LOCALES));
    } else if (n.endsWith("url")) {
      aware = quoted(Gen.of(HostileValues.URLS));
    } else if (n.equals("start") || n.equals("end")) {
      aware = quoted(Gen.of(HostileValues.CLOCK_TIMES));
    } else if ("date-time".equals(s.path("format").asText())
        || Set.of("since", "at", "postedat").contains(n)) {
      aware =
          Gen.frequency(
              weight(4, quoted(Gen.of(HostileValues.TIMESTAMPS))),
              weight(1, Gen.of("1700000000", "-1", "1.5e12")));
    } else if (n.endsWith("id")) {
      List<String> ids = new ArrayList<>();
      world.other.values().forEach(ids::addAll);
      ids.addAll(
          List.of("", "pty_x", "null", "trd_" + "0".repeat(26), world.own.get("tradeId").get(0)));
      aware = quoted(Gen.of(ids));
    } else if (type.equals("integer") || type.equals("number")) {
      aware =
          Gen.frequency(
              weight(3, HostileValues.jsonNumber()), weight(1, Gen.of("\"2\"", "\"1e3\"", "\"\"")));
    } else if (type.equals("boolean")) {
      aware = Gen.of("\"true\"", "\"false\"", "1", "0", "\"yes\"", "null", "[]");
    } else if (type.equals("array")) {
      aware =
          Gen.of(
              "[]",
              "[null]",
              "[1]",
              "[[]]",
              "{}",
              "\"a\"",
              "[" + String.join(",", java.util.Collections.nCopies(500, "\"trade.*\"")) + "]",
              "[" + String.join(",", java.util.Collections.nCopies(60, "{}")) + "]");
    } else if (type.equals("object") || s.has("properties")) {
      aware = Gen.of("[]", "\"x\"", "{\"unknown\":1}", "1", "{\"\":\"\"}");
    } else {
      aware = HostileValues.jsonText();
    }
    return Gen.frequency(
        weight(4, aware),
        weight(2, HostileValues.jsonAnything()),
        weight(2, HostileValues.jsonText()));
  }

  private static Gen<String> quoted(Gen<String> text) {
    return text.map(t -> HostileValues.quote(t, true));
  }

  private Gen<String> object(JsonNode s, int hostility, int depth) {
    JsonNode props = s.path("properties");
    Set<String> required = new HashSet<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    List<String> names = new ArrayList<>();
    List<Gen<Optional<String>>> members = new ArrayList<>();
    for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      names.add(name);
      Gen<Optional<String>> present =
          value(props.get(name), name, hostility, depth + 1).map(Optional::of);
      int omit = required.contains(name) ? (hostility > 0 ? 1 : 0) : 3;
      members.add(
          omit == 0
              ? present
              : Gen.frequency(
                  weight(10 - omit, present), weight(omit, Gen.just(Optional.empty()))));
    }
    Gen<String> unknown =
        hostility == 0
            ? Gen.just("")
            : Gen.frequency(
                weight(20, Gen.just("")),
                weight(
                    1, Gen.of("\"colour\":\"blue\"", "\"\":1", "\"id\":\"x\"", "\"version\":1")));
    Gen<List<Optional<String>>> all = Gen.all(members);
    return r -> render(names, all.next(r), unknown.next(r));
  }

  private static String render(List<String> names, List<Optional<String>> list, String extra) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (list.get(i).isPresent()) {
        parts.add(HostileValues.quote(names.get(i), true) + ":" + list.get(i).get());
      }
    }
    if (!extra.isEmpty()) {
      parts.add(extra);
    }
    return "{" + String.join(",", parts) + "}";
  }

  private static JsonNode merge(JsonNode allOf) {
    var merged = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    var props = merged.putObject("properties");
    var required = merged.putArray("required");
    merged.put("type", "object");
    for (JsonNode part : allOf) {
      JsonNode p = Contract.resolve(part);
      p.path("properties").fields().forEachRemaining(e -> props.set(e.getKey(), e.getValue()));
      p.path("required").forEach(required::add);
    }
    return merged;
  }
}

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API as an integrator calls it: a tenant, its parties, trades and actions. */
final class Api {

  static final String ITEMS = "[{\"from\":\"initiator\",\"description\":\"Mina photo card (Fancy era)\"},"
      + "{\"from\":\"counterparty\",\"description\":\"Sana photo card (Fancy era)\"}]";

  final int port;
  final String key;
  final String tenantId;
  final String seller;
  final String buyer;
  private static final AtomicLong KEYS = new AtomicLong();
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  private Api(int port, String key, String tenantId, String seller, String buyer) {
    this.port = port;
    this.key = key;
    this.tenantId = tenantId;
    this.seller = seller;
    this.buyer = buyer;
  }

  /** A new live tenant with two parties. */
  static Api tenant(int port, String name) throws IOException {
    try (Http http = new Http(port)) {
      Http.Response t = expect(http.post("/v1/tenants", Nudge.ADMIN_KEY, null,
          "{\"name\":\"" + name + "\",\"mode\":\"live\"}"), 201);
      String key = field(t.body(), "apiKey");
      String seller = field(expect(http.post("/v1/parties", key, null, party("@mina_trades", "ja", "Asia/Tokyo")), 201).body(), "id");
      String buyer = field(expect(http.post("/v1/parties", key, null, party("@sana_fan", "en", "Europe/London")), 201).body(), "id");
      return new Api(port, key, field(t.body(), "id"), seller, buyer);
    }
  }

  static String party(String handle, String locale, String zone) {
    return "{\"handle\":\"" + handle + "\",\"displayName\":\"" + handle.substring(1) + "\",\"locale\":\"" + locale
        + "\",\"timeZone\":\"" + zone + "\",\"quietHours\":{\"start\":\"23:00\",\"end\":\"07:00\"},"
        + "\"channels\":[{\"type\":\"x_dm\",\"address\":\"" + handle + "\"}]}";
  }

  String tradeBody(long n) {
    return "{\"title\":\"Photo card swap #" + n + "\",\"initiatorId\":\"" + seller + "\",\"counterpartyId\":\"" + buyer
        + "\",\"items\":" + ITEMS + ",\"source\":{\"url\":\"https://x.com/mina_trades/status/1861234567890\","
        + "\"note\":\"agreed in DM\"}}";
  }

  static String newIdempotencyKey() {
    return "bench-" + RUN + "-" + KEYS.incrementAndGet();
  }

  /** POST /v1/trades with an Idempotency-Key; returns the trade id. */
  String createTrade(Http http, long n, String idempotencyKey) throws IOException {
    Http.Response r = http.post("/v1/trades", key, idempotencyKey, tradeBody(n));
    return r.status() == 201 ? field(r.body(), "id") : null;
  }

  /** Trades for actions, each used by one request at a time, alternating request_reply and reply. */
  final class Pool {
    private final BlockingQueue<String[]> free;

    Pool(int size) throws IOException {
      free = new ArrayBlockingQueue<>(size);
      try (Http http = new Http(port)) {
        for (int i = 0; i < size; i++) {
          free.add(new String[] {createTrade(http, i, null), "agreed"});
        }
      }
    }

    Load.Call action() {
      return (http, i) -> {
        String[] t = free.take();
        try {
          boolean asking = t[1].equals("agreed");
          String body = asking
              ? "{\"type\":\"request_reply\",\"partyId\":\"" + seller + "\",\"note\":\"Could you confirm the address?\"}"
              : "{\"type\":\"reply\",\"partyId\":\"" + buyer + "\",\"note\":\"Sent it by DM\"}";
          Http.Response r = http.post("/v1/trades/" + t[0] + "/actions", key, newIdempotencyKey(), body);
          if (r.status() != 200) {
            return false;
          }
          t[1] = asking ? "awaiting_reply" : "agreed";
          return true;
        } finally {
          free.put(t);
        }
      };
    }
  }

  Load.Call create() {
    return (http, i) -> createTrade(http, i, newIdempotencyKey()) != null;
  }

  static Http.Response expect(Http.Response r, int status) {
    if (r.status() != status) {
      throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
    }
    return r;
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }
}

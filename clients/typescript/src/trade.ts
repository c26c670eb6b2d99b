// A whole trade through the typed client, against a running service:
//   NUDGE_URL=http://localhost:8080 NUDGE_ADMIN_KEY=… npm run trade
// The operator creates a test tenant; the tenant records two parties and a trade, asks for a reply,
// moves its test clock past the deadline, reads the reminder the scheduler sent, gets the answer,
// completes the trade and pages through the event feed.
import { randomUUID } from "node:crypto";
import { Checks, assert, env } from "./checks.js";
import { nudge, ok, problem, type Schemas, type Trade, type TradeAction } from "./client.js";

const url = env("NUDGE_URL");
const checks = new Checks("typescript client");
const admin = nudge(url, env("NUDGE_ADMIN_KEY"));

const tenant = await checks.step("the operator creates a test tenant", async () => {
  const t = await ok(
    admin.POST("/v1/tenants", { body: { name: "TypeScript client check", mode: "test" } }),
  );
  assert.equal(t.mode, "test");
  assert.match(t.apiKey, /^nk_test_/);
  return t;
});
const api = nudge(url, tenant.apiKey);

const [aki, ben] = await checks.step("two parties", async () => {
  const a = await ok(
    api.POST("/v1/parties", {
      body: {
        handle: `@aki_${Date.now()}`,
        displayName: "Aki",
        locale: "ja-JP",
        timeZone: "Asia/Tokyo",
        channels: [{ type: "x_dm", address: "@aki" }],
      },
    }),
  );
  // No quiet hours for Ben, so the reminder goes out when it falls due whatever the hour.
  const b = await ok(
    api.POST("/v1/parties", {
      body: { handle: `@ben_${Date.now()}`, locale: "en", timeZone: "Europe/London" },
    }),
  );
  assert.equal(a.locale, "ja-JP");
  return [a, b] as const;
});

const created = await checks.step("a trade, created once for two tries with one key", async () => {
  const key = randomUUID();
  const body: Schemas["CreateTrade"] = {
    title: "Photocard swap",
    initiatorId: aki.id,
    counterpartyId: ben.id,
    items: [
      { from: "initiator", description: "Card A" },
      { from: "counterparty", description: "Card B" },
    ],
    source: { url: "https://x.com/aki/status/1", note: "agreed in DM" },
  };
  const first = await api.POST("/v1/trades", {
    params: { header: { "Idempotency-Key": key } },
    body,
  });
  const retry = await api.POST("/v1/trades", {
    params: { header: { "Idempotency-Key": key } },
    body,
  });
  assert.equal(first.response.status, 201);
  assert.equal(retry.response.status, 201);
  assert.equal(retry.response.headers.get("Idempotent-Replayed"), "true");
  assert.ok(first.data && retry.data);
  assert.equal(retry.data.id, first.data.id);
  assert.equal(first.data.state, "agreed");
  assert.equal(first.data.policy.replyWindow, "P3D");
  return first.data;
});

async function act(partyId: string, type: TradeAction, etag?: string): Promise<Trade> {
  return ok(
    api.POST("/v1/trades/{tradeId}/actions", {
      params: { path: { tradeId: created.id }, header: etag ? { "If-Match": etag } : {} },
      body: { type, partyId },
    }),
  );
}

await checks.step("Aki asks Ben for a reply: three days to answer", async () => {
  const t = await act(aki.id, "request_reply");
  assert.equal(t.state, "awaiting_reply");
  assert.equal(t.awaiting?.partyId, ben.id);
  assert.equal(t.awaiting?.kind, "reply");
  const bens: TradeAction[] = t.allowedActions[ben.id] ?? [];
  assert.ok(bens.includes("reply"), `Ben may reply: ${bens.join(", ")}`);
});

const clock = await checks.step("the test clock moves three days: the reminder goes out", async () => {
  const before = await ok(api.GET("/v1/clock"));
  const after = await ok(api.POST("/v1/clock/advance", { body: { by: "P3D" } }));
  assert.equal(Date.parse(after.now) - Date.parse(before.now), 3 * 24 * 3600 * 1000);
  assert.ok(after.processed >= 1, `processed ${after.processed}`);
  const t = await ok(
    api.GET("/v1/trades/{tradeId}", { params: { path: { tradeId: created.id } } }),
  );
  assert.equal(t.state, "reminded");
  assert.equal(t.reminders.sent, 1);
  return after;
});

await checks.step("the reminder, on the trade and in Ben's feed", async () => {
  const onTrade = await ok(
    api.GET("/v1/trades/{tradeId}/reminders", { params: { path: { tradeId: created.id } } }),
  );
  assert.equal(onTrade.data.length, 1);
  const r = onTrade.data[0]!;
  assert.equal(r.status, "sent");
  assert.equal(r.tone, "gentle");
  assert.equal(r.toPartyId, ben.id);
  assert.equal(r.locale, "en");
  assert.ok(r.sentAt !== null && Date.parse(r.sentAt) <= Date.parse(clock.now));
  assert.ok(r.message.length > 0);
  const feed = await ok(
    api.GET("/v1/parties/{partyId}/reminders", {
      params: { path: { partyId: ben.id }, query: { status: "sent" } },
    }),
  );
  assert.deepEqual(
    feed.data.map((x) => x.id),
    [r.id],
  );
});

await checks.step("a manual nudge right after it is refused as too soon", async () => {
  const p = await problem(
    api.POST("/v1/trades/{tradeId}/reminders", {
      params: { path: { tradeId: created.id } },
      body: { fromPartyId: aki.id },
    }),
  );
  assert.equal(p.status, 429);
  assert.equal(p.slug, "reminder-too-soon");
});

await checks.step("Ben replies on the version he saw, then both confirm completion", async () => {
  const seen = await api.GET("/v1/trades/{tradeId}", {
    params: { path: { tradeId: created.id } },
  });
  const etag = seen.response.headers.get("ETag") ?? undefined;
  assert.ok(etag);
  assert.equal((await act(ben.id, "reply", etag)).state, "agreed");
  const stale = await problem(
    api.POST("/v1/trades/{tradeId}/actions", {
      params: { path: { tradeId: created.id }, header: { "If-Match": etag } },
      body: { type: "confirm_completion", partyId: aki.id },
    }),
  );
  assert.equal(stale.status, 412);
  assert.equal((await act(aki.id, "confirm_completion")).state, "awaiting_reply");
  const done = await act(ben.id, "confirm_completion");
  assert.equal(done.state, "completed");
  assert.ok(done.completedAt);
  assert.deepEqual(done.allowedActions[aki.id], []);
});

await checks.step("an action on the completed trade is a typed 409", async () => {
  const p = await problem(
    api.POST("/v1/trades/{tradeId}/actions", {
      params: { path: { tradeId: created.id } },
      body: { type: "request_reply", partyId: aki.id },
    }),
  );
  assert.equal(p.status, 409);
  assert.equal(p.slug, "illegal-transition");
});

await checks.step("the history, oldest first", async () => {
  const h = await ok(
    api.GET("/v1/trades/{tradeId}/history", { params: { path: { tradeId: created.id } } }),
  );
  assert.deepEqual(
    h.data.map((e) => `${e.actor === "system" ? "system" : "party"} ${e.action} ${e.toState}`),
    [
      "party create agreed",
      "party request_reply awaiting_reply",
      "system reminder reminded",
      "party reply agreed",
      "party confirm_completion awaiting_reply",
      "party confirm_completion completed",
    ],
  );
});

await checks.step("the event feed, paged two at a time", async () => {
  const events: Schemas["Event"][] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await ok(
      api.GET("/v1/events", { params: { query: after ? { limit: 2, after } : { limit: 2 } } }),
    );
    if (page.data.length === 0) {
      break;
    }
    assert.ok(page.data.length <= 2);
    events.push(...page.data);
    after = page.nextCursor ?? undefined;
    if (!after) {
      break;
    }
  }
  const mine = events.filter((e) => e.subject.id === created.id);
  assert.deepEqual(
    mine.map((e) => e.sequence),
    mine.map((_, i) => i + 1),
    "one sequence per subject, without gaps",
  );
  assert.deepEqual(
    mine.map((e) => e.type),
    [
      "trade.created",
      "trade.state_changed",
      "trade.state_changed",
      "trade.reminder_due",
      "trade.state_changed",
      "trade.state_changed",
      "trade.state_changed",
      "trade.completed",
    ],
  );
});

checks.done();

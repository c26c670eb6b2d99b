// The calendar feed (GET /v1/parties/{id}/reminders.ics) read by an independent iCalendar parser,
// ical.js, as a phone's calendar app would subscribe to it: with ?token= and no headers.
//   NUDGE_URL=http://localhost:8080 NUDGE_ADMIN_KEY=… npm run calendar
import ICAL from "ical.js";
import { Checks, assert, env } from "./checks.js";
import { ok, type Trade } from "./client.js";
import { partyToken, swap, world } from "./setup.js";

const url = env("NUDGE_URL");
const checks = new Checks("calendar feed (ical.js)");
const w = await world(url, env("NUDGE_ADMIN_KEY"), "Calendar feed check");

interface Entry {
  uid: string;
  sequence: number;
  start: ICAL.Time;
  lastModified: ICAL.Time;
  summary: string;
  alarms: ICAL.Component[];
}

/** The feed as a calendar app fetches it, parsed by ical.js; the entries of `tradeId`. */
async function feed(partyId: string, token: string, tradeId: string): Promise<Entry[]> {
  const r = await fetch(`${url}/v1/parties/${partyId}/reminders.ics?token=${token}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get("Content-Type") ?? "", /^text\/calendar/);
  const calendar = new ICAL.Component(ICAL.parse(await r.text()));
  assert.equal(calendar.name, "vcalendar");
  assert.equal(calendar.getFirstPropertyValue("version"), "2.0");
  return calendar
    .getAllSubcomponents("vevent")
    .map((c) => {
      const e = new ICAL.Event(c);
      return {
        uid: e.uid,
        sequence: e.sequence,
        start: e.startDate,
        lastModified: c.getFirstPropertyValue("last-modified") as ICAL.Time,
        summary: e.summary,
        alarms: c.getAllSubcomponents("valarm"),
      };
    })
    .filter((e) => e.uid.startsWith(tradeId));
}

/** An API timestamp at the precision of iCalendar: whole seconds. */
function seconds(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();
}

function utc(t: ICAL.Time): string {
  assert.equal(t.zone, ICAL.Timezone.utcTimezone, `${t.toString()} is in UTC`);
  return t.toJSDate().toISOString();
}

const trade: Trade = await swap(w, "Poster trade");
const benToken = await partyToken(w, w.ben.id);
const akiToken = await partyToken(w, w.aki.id);

const asked = await checks.step("Aki asks Ben for a reply", async () => {
  const t = await ok(
    w.api.POST("/v1/trades/{tradeId}/actions", {
      params: { path: { tradeId: trade.id } },
      body: { type: "request_reply", partyId: w.aki.id },
    }),
  );
  assert.equal(t.state, "awaiting_reply");
  return t;
});

const first = await checks.step("Ben's feed: the reply due and what the policy will do", async () => {
  const entries = await feed(w.ben.id, benToken, trade.id);
  const due = entries.find((e) => e.uid === `${trade.id}-due@nudge`);
  assert.ok(due, `a due entry among ${entries.map((e) => e.uid).join(", ")}`);
  assert.equal(utc(due.start), seconds(asked.awaiting!.dueAt));
  assert.equal(due.sequence, asked.version);
  assert.match(due.summary, /Poster trade/);
  assert.ok(entries.some((e) => e.uid === `${trade.id}-policy@nudge`), "the policy's entry");
  for (const e of entries) {
    assert.equal(e.alarms.length, 1, `${e.uid} has one alarm`);
    const alarm = e.alarms[0]!;
    assert.equal(alarm.getFirstPropertyValue("action"), "DISPLAY");
    const trigger = alarm.getFirstPropertyValue("trigger") as ICAL.Duration;
    assert.equal(trigger.toSeconds(), -3600, "an hour before");
    utc(e.lastModified);
  }
  return entries;
});

await checks.step("the same UIDs on a second fetch", async () => {
  const again = await feed(w.ben.id, benToken, trade.id);
  assert.deepEqual(
    again.map((e) => [e.uid, e.sequence]),
    first.map((e) => [e.uid, e.sequence]),
  );
});

await checks.step("Aki's feed is in Japanese", async () => {
  const entries = await feed(w.aki.id, akiToken, trade.id);
  assert.ok(entries.length > 0);
  assert.ok(entries.every((e) => /「Poster trade」/.test(e.summary)), entries[0]?.summary);
});

await checks.step("the deadline moves a day: same UID, higher SEQUENCE", async () => {
  const extended = await ok(
    w.api.POST("/v1/trades/{tradeId}/actions", {
      params: { path: { tradeId: trade.id } },
      body: { type: "extend_deadline", partyId: w.aki.id, extendBy: "P1D" },
    }),
  );
  const entries = await feed(w.ben.id, benToken, trade.id);
  const before = first.find((e) => e.uid === `${trade.id}-due@nudge`)!;
  const due = entries.find((e) => e.uid === before.uid);
  assert.ok(due, "the entry keeps its UID");
  assert.ok(due.sequence > before.sequence, `SEQUENCE ${before.sequence} → ${due.sequence}`);
  assert.equal(due.sequence, extended.version);
  assert.equal(due.start.toJSDate().getTime() - before.start.toJSDate().getTime(), 86_400_000);
  assert.equal(utc(due.start), seconds(extended.awaiting!.dueAt));
  assert.ok(due.lastModified.compare(before.lastModified) >= 0, "LAST-MODIFIED not earlier");
});

await checks.step("answered: the trade's entries leave the feed", async () => {
  await ok(
    w.api.POST("/v1/trades/{tradeId}/actions", {
      params: { path: { tradeId: trade.id } },
      body: { type: "reply", partyId: w.ben.id },
    }),
  );
  assert.deepEqual(await feed(w.ben.id, benToken, trade.id), []);
});

await checks.step("a wrong token is a 401, and another party's token a 403", async () => {
  const wrong = await fetch(`${url}/v1/parties/${w.ben.id}/reminders.ics?token=nk_party_nope`);
  assert.equal(wrong.status, 401);
  const other = await fetch(`${url}/v1/parties/${w.ben.id}/reminders.ics?token=${akiToken}`);
  assert.equal(other.status, 403);
});

checks.done();

// A real browser on another origin: Debian's Chromium, driven by playwright-core, opens page/ from
// a small server of ours on its own port. The page holds only a party token (our server mints it
// with the tenant key, which stays here), lists the party's trades over CORS, asks for a reply
// with a click, and sees the resulting event arrive through EventSource with ?token=.
//   NUDGE_URL=http://127.0.0.1:8080 NUDGE_ADMIN_KEY=… npm run browser
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Checks, assert, env } from "./checks.js";
import { ok } from "./client.js";
import { partyToken, swap, world } from "./setup.js";

const url = env("NUDGE_URL");
const chromiumPath = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
const checks = new Checks("browser");
const w = await world(url, env("NUDGE_ADMIN_KEY"), "Browser check");

const { mine, theirs } = await checks.step("Aki's trade, and one between others", async () => {
  const mine = await swap(w, "Poster trade");
  const cleo = await ok(
    w.api.POST("/v1/parties", {
      body: { handle: `@cleo_${Date.now().toString(36)}`, locale: "en", timeZone: "UTC" },
    }),
  );
  const theirs = await ok(
    w.api.POST("/v1/trades", {
      body: {
        title: "Ben and Cleo's trade",
        initiatorId: w.ben.id,
        counterpartyId: cleo.id,
        items: [{ from: "initiator", description: "Sticker" }],
      },
    }),
  );
  return { mine, theirs };
});

// The integrator's web server: the page, and a party token for the signed-in user (Aki).
const pageDir = fileURLToPath(new URL("../page/", import.meta.url));
const token = await partyToken(w, w.aki.id);
const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? "/", "http://page").pathname;
  if (path === "/nudge-token") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ token, partyId: w.aki.id }));
    return;
  }
  const file = path === "/" ? "index.html" : path.slice(1);
  if (!["index.html", "app.js"].includes(file)) {
    res.writeHead(404).end();
    return;
  }
  const type = file.endsWith(".js") ? "text/javascript" : "text/html";
  res.writeHead(200, { "Content-Type": `${type}; charset=utf-8` });
  res.end(await readFile(join(pageDir, file)));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const pageOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const profile = await mkdtemp(join(tmpdir(), "nudge-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const errors: string[] = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} (${m.location().url})`);
  });
  const start = `${pageOrigin}/?api=${encodeURIComponent(url)}`;

  await checks.step("the page, on another origin, lists only Aki's trades", async () => {
    assert.notEqual(new URL(start).origin, new URL(url).origin);
    await page.goto(start);
    await page.waitForSelector("body[data-live=true]", { timeout: 15_000 });
    const listed = await page.$$eval("#trades li", (items) =>
      items.map((li) => (li as HTMLElement).dataset["trade"]),
    );
    assert.ok(listed.includes(mine.id), `lists ${mine.id}: ${listed.join(", ")}`);
    assert.ok(!listed.includes(theirs.id), "not a trade Aki is no party of");
    const state = await page.textContent(`li[data-trade="${mine.id}"] .state`);
    assert.equal(state, "agreed");
    assert.match((await page.textContent("#status")) ?? "", /trades, live/);
  });

  await checks.step("a click asks for a reply; the event comes through the stream", async () => {
    // Meanwhile, elsewhere: a change to a trade Aki is no party of, which the stream must not show.
    await ok(
      w.api.POST("/v1/trades/{tradeId}/actions", {
        params: { path: { tradeId: theirs.id } },
        body: { type: "request_reply", partyId: w.ben.id },
      }),
    );
    await page.click(`li[data-trade="${mine.id}"] button[data-action=request_reply]`);
    const seen = `#events li[data-subject="${mine.id}"][data-type="trade.state_changed"][data-state="awaiting_reply"]`;
    await page.waitForSelector(seen, { timeout: 15_000 });
    assert.match((await page.textContent(seen)) ?? "", /Poster trade: awaiting_reply/);
    // The list follows the event: new state, and the button gone (Aki may not ask twice).
    await page.waitForSelector(`li[data-trade="${mine.id}"][data-state=awaiting_reply]`);
    assert.equal(await page.$(`li[data-trade="${mine.id}"] button`), null);
  });

  await checks.step("the stream carried Aki's events only, and the server agrees", async () => {
    const subjects = await page.$$eval("#events li", (items) =>
      items.map((li) => (li as HTMLElement).dataset["subject"]),
    );
    assert.ok(subjects.length >= 2, `events seen: ${subjects.length}`);
    assert.ok(subjects.every((s) => s === mine.id), `only ${mine.id}: ${subjects.join(", ")}`);
    const now = await ok(
      w.api.GET("/v1/trades/{tradeId}", { params: { path: { tradeId: mine.id } } }),
    );
    assert.equal(now.state, "awaiting_reply");
    assert.equal(now.awaiting?.partyId, w.ben.id);
    assert.equal(now.awaiting?.requestedBy, w.aki.id);
    assert.deepEqual(errors, [], "no errors in the page");
  });
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}

checks.done();

// What every check starts from: a fresh test tenant with Aki (Tokyo, Japanese) and Ben (London,
// English, no quiet hours, so reminders to him go out whatever the hour), and their trades.
import { randomUUID } from "node:crypto";
import { nudge, ok, type Nudge, type Schemas, type Trade } from "./client.js";

export interface World {
  api: Nudge;
  aki: Schemas["Party"];
  ben: Schemas["Party"];
}

export async function world(url: string, adminKey: string, name: string): Promise<World> {
  const admin = nudge(url, adminKey);
  const tenant = await ok(admin.POST("/v1/tenants", { body: { name, mode: "test" } }));
  const api = nudge(url, tenant.apiKey);
  const suffix = Date.now().toString(36);
  const aki = await ok(
    api.POST("/v1/parties", {
      body: {
        handle: `@aki_${suffix}`,
        displayName: "Aki",
        locale: "ja-JP",
        timeZone: "Asia/Tokyo",
        channels: [{ type: "x_dm", address: "@aki" }],
      },
    }),
  );
  const ben = await ok(
    api.POST("/v1/parties", {
      body: { handle: `@ben_${suffix}`, displayName: "Ben", locale: "en", timeZone: "Europe/London" },
    }),
  );
  return { api, aki, ben };
}

/** A swap between Aki and Ben under the tenant's default policy; one Idempotency-Key each. */
export async function swap(w: World, title: string): Promise<Trade> {
  return ok(
    w.api.POST("/v1/trades", {
      params: { header: { "Idempotency-Key": randomUUID() } },
      body: {
        title,
        initiatorId: w.aki.id,
        counterpartyId: w.ben.id,
        items: [
          { from: "initiator", description: "Card A" },
          { from: "counterparty", description: "Card B" },
        ],
      },
    }),
  );
}

/** A party token for `partyId`, minted with the tenant key (on the integrator's server). */
export async function partyToken(w: World, partyId: string): Promise<string> {
  const t = await ok(
    w.api.POST("/v1/parties/{partyId}/tokens", {
      params: { path: { partyId } },
      body: { expiresIn: "P1D" },
    }),
  );
  return t.token;
}

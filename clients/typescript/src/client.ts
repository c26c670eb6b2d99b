// A typed Nudge client: the types come from openapi/openapi.yaml (`npm run generate`), the calls
// go through openapi-fetch, so a path, a field or an enum value the contract does not have is a
// compile error, and so is a contract change that breaks this code.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/nudge.js";

export type Schemas = components["schemas"];
export type Trade = Schemas["Trade"];
export type TradeAction = Schemas["TradeActionRequest"]["type"];
export type Problem = Schemas["Problem"];
export type Nudge = Client<paths>;

/** A client that sends `key` (admin key, tenant key or party token) as a bearer token. */
export function nudge(baseUrl: string, key: string): Nudge {
  const client = createClient<paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${key}`);
      return request;
    },
  });
  return client;
}

/** A problem+json answer, thrown by {@link ok}. */
export class NudgeProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.type}: ${problem.detail}`);
  }

  /** The problem's slug: the end of its `type` (`illegal-transition`, `not-found`, …). */
  get slug(): string {
    return this.problem.type.slice(this.problem.type.lastIndexOf("/") + 1);
  }
}

type Answer = { data?: unknown; error?: unknown; response: Response };

/** The body of a 2xx answer; any other answer is thrown as a {@link NudgeProblem}. */
export async function ok<A extends Answer>(call: Promise<A>): Promise<NonNullable<A["data"]>> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    throw new NudgeProblem(response.status, error as Problem);
  }
  return data as NonNullable<A["data"]>;
}

/** The problem of an answer that must fail; a 2xx answer is an error here. */
export async function problem(call: Promise<Answer>): Promise<NudgeProblem> {
  const { error, response } = await call;
  if (response.ok) {
    throw new Error(`expected a problem, got ${response.status}`);
  }
  return new NudgeProblem(response.status, error as Problem);
}

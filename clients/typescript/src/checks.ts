// A small harness for the checks CI runs against a live service: numbered steps, the first failure
// stops the run, and a closing "N passed, N failed" line.
import { strict as assert } from "node:assert";

export { assert };

export class Checks {
  private passed = 0;

  constructor(private readonly name: string) {}

  /** Runs one step; a failure is printed and ends the process with status 1. */
  async step<T>(title: string, run: () => Promise<T> | T): Promise<T> {
    try {
      const value = await run();
      this.passed++;
      console.log(`ok ${this.passed} - ${title}`);
      return value;
    } catch (e) {
      console.log(`not ok ${this.passed + 1} - ${title}`);
      console.log(`  ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      console.log(`${this.name}: ${this.passed} passed, 1 failed`);
      process.exit(1);
    }
  }

  done(): void {
    console.log(`${this.name}: ${this.passed} passed, 0 failed`);
  }
}

/** A required environment variable. */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

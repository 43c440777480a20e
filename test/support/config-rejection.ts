import { expect } from "vitest";
import { ConfigError } from "../../src/config/errors.js";

/** The ConfigError that `run` rejects with; fails the test when it resolves or throws anything else. */
export async function rejection(run: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError, but the config was accepted");
}

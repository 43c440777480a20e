// Runs in the unit-tz project only (vitest.config.ts): it checks that project really runs outside UTC.
import { expect, it } from "vitest";

it("runs in Europe/Berlin (UTC+1 in winter, +2 in summer)", () => {
  expect(process.env.TZ).toBe("Europe/Berlin");
  expect(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset()).toBe(-60);
  expect(new Date(Date.UTC(2024, 6, 15)).getTimezoneOffset()).toBe(-120);
});

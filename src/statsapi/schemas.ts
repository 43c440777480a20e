// zod schemas of the small Stats API answers (login, token, cfg lists, error bodies).
// Lenient where the API is: numbers accepted for strings, extra fields allowed.
// The large data body is checked by hand in subscription-data.ts (speed).
import { z } from "zod";
import { StatsApiError } from "./errors.js";
import { formatPath, shownPath } from "../document/path.js";
import type { ConfigObject } from "./types.js";

/** A string, or a number turned into its decimal string (ids sometimes arrive as numbers). */
const textual = z.union([z.string(), z.number().transform(String)]);

/** OAuth client-credentials answer. `expires_in` is documented as a string of seconds; numbers accepted. */
export const tokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z
    .union([z.number(), z.string()], { error: "expected a number of seconds" })
    .transform((value, ctx) => {
      const seconds = typeof value === "number" ? value : value.trim() === "" ? NaN : Number(value);
      if (Number.isFinite(seconds) && seconds > 0) return seconds;
      ctx.issues.push({ code: "custom", message: "expected a positive number of seconds", input: value });
      return z.NEVER;
    })
    .optional(),
});
export type TokenAnswer = z.infer<typeof tokenAnswer>;

/** Session login answer: `{token, privileges?, user_id?}`; the cookies carry the session, so the token is optional. */
export const sessionAnswer = z.looseObject({ token: textual.optional() });

/** `{"dispositions": [...]}` (the seed) or a bare array (the Postman collection). */
export const dispositionsAnswer = z.union([
  z.array(textual),
  z.looseObject({ dispositions: z.array(textual) }).transform((answer) => answer.dispositions),
]);

const configObject = z.looseObject({ id: textual, name: textual }).transform(({ id, name }): ConfigObject => ({ id, name }));
/** `[{id, name}]` — ids may be numbers. */
export const configObjectList = z.array(configObject);

/** A 400 body: `{error_code, error_message}` (either may be missing). */
export const errorBody = z.looseObject({
  error_code: z.union([z.string(), z.number()]).optional(),
  error_message: z.string().optional(),
});

/** An OAuth error answer (RFC 6749 §5.2). */
export const oauthErrorBody = z.looseObject({
  error: z.string().regex(/^[\w.-]{1,64}$/),
  error_description: z.string().optional(),
});

/** Parses a JSON answer with a schema; any problem is BP_MALFORMED naming the first wrong place. */
export function parseAnswer<T>(schema: z.ZodType<T>, text: string, operation: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StatsApiError("BP_MALFORMED", `answer is not JSON (${(error as Error).message})`, { operation, status: 200 });
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw new StatsApiError("BP_MALFORMED", `unexpected answer: ${describeIssue(result.error.issues[0])}`, {
    operation,
    status: 200,
  });
}

/** Parses JSON with a schema, or undefined when the text does not fit (for optional error details). */
export function tryParse<T>(schema: z.ZodType<T>, text: string): T | undefined {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  return issue === undefined ? "invalid" : `${shownPath(formatPath(issue.path))}: ${issue.message}`;
}

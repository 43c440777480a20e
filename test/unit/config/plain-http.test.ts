import { describe, expect, it } from "vitest";
import { plainHttpWarnings } from "../../../src/config/plain-http.js";
import type { AuthConfig, Config } from "../../../src/config/types.js";
import { config } from "../../support/config-builder.js";

function withUpstream(url: string, method: AuthConfig["method"] = "oauth"): Config {
  const base = config([]);
  return { ...base, upstream: { ...base.upstream, url, auth: { ...base.upstream.auth, method } as AuthConfig } };
}

describe("plainHttpWarnings", () => {
  it.each([
    ["https://bp.example.com"],
    ["http://localhost:8088"],
    ["http://api.localhost"],
    ["http://127.0.0.1:8088"],
    ["http://127.10.0.1"],
    ["http://[::1]:8088"],
  ])("says nothing for %s (encrypted, or the secret stays on the machine)", (url) => {
    expect(plainHttpWarnings(withUpstream(url))).toEqual([]);
  });

  it.each([
    ["http://bp.example.com", "oauth", "the OAuth client secret and access token"],
    ["http://10.0.0.5:8080", "session", "the password and session cookies"],
    ["http://128.0.0.1", "oauth", "the OAuth client secret and access token"],
    ["http://localhost.example.com", "oauth", "the OAuth client secret and access token"],
    ["http://[::2]", "session", "the password and session cookies"],
    ["http://my127.example", "oauth", "the OAuth client secret and access token"],
  ] as const)("warns for %s (%s): it names what goes out in clear text", (url, method, secrets) => {
    expect(plainHttpWarnings(withUpstream(url, method))).toEqual([
      { path: "upstream.url", message: `plain http:// sends ${secrets} readable by anyone on the network: use https://` },
    ]);
  });
});

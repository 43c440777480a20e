import { describe, expect, it } from "vitest";
import { parseListenAddress } from "../../../src/config/listen-address.js";

describe("parseListenAddress", () => {
  it.each([
    [":9737", { host: undefined, port: 9737 }],
    ["127.0.0.1:0", { host: "127.0.0.1", port: 0 }],
    ["[::1]:80", { host: "::1", port: 80 }],
    ["localhost:8080", { host: "localhost", port: 8080 }],
    [":65535", { host: undefined, port: 65_535 }],
  ])("%s", (address, expected) => {
    expect(parseListenAddress(address)).toEqual(expected);
  });

  it.each(["9737", "host:", "host:99999", ":65536", ":9737x", ":123456", "a:b", "[not-an-ip]:80", "a b:80"])("rejects %s", (address) => {
    expect(parseListenAddress(address)).toBeUndefined();
  });
});

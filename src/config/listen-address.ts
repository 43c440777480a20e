// The one rule for a listen address, used by the config schema (web.listen_address) and by the server
// (which also takes --listen), so both accept exactly the same forms.

/** "host:port", ":port" (all interfaces) or "[v6]:port". */
const LISTEN_ADDRESS = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]*)):(\d{1,5})$/;

export const LISTEN_ADDRESS_EXPECTED = 'expected [host]:port like ":9737", "127.0.0.1:9737" or "[::1]:9737"';

export interface ListenAddress {
  /** undefined: every interface. */
  host: string | undefined;
  port: number;
}

/** The address's parts, or undefined when it is not of a form above or the port is over 65535. */
export function parseListenAddress(address: string): ListenAddress | undefined {
  const match = LISTEN_ADDRESS.exec(address);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  const host = match[1] ?? match[2];
  return { host: host === "" ? undefined : host, port };
}

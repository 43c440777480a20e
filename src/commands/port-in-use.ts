// "Address in use" says what to change: the flag of the command that chose the port.

interface ListenError {
  code?: unknown;
  address?: unknown;
  port?: unknown;
}

const HINTS: Readonly<Record<string, string>> = {
  run: "choose another address with --listen ADDRESS (or web.listen_address in the config)",
  demo: "choose other ports with --port N (the exporter, default 9737) and --simulator-port N (the simulator, default 8088), e.g. npm run demo -- --port 9800 --simulator-port 8099",
  simulate: "choose another port with --port N (default 8088)",
};

/** The message for a listen that failed because the address is taken, or undefined for any other error. */
export function portInUseMessage(command: string, error: unknown): string | undefined {
  const listenError = (error ?? {}) as ListenError;
  if (listenError.code !== "EADDRINUSE") return undefined;
  const where = typeof listenError.address === "string" && typeof listenError.port === "number" ? `${listenError.address}:${listenError.port}` : "the address";
  const hint = HINTS[command] ?? "choose another port";
  return `${where} is already in use (another program listens there): ${hint}`;
}

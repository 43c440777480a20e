// An HTTP server on 127.0.0.1 that records every request (method, URL, path, headers, body read whole) and
// lets the test answer it: for checking what a client sends over the wire.
import { type IncomingHttpHeaders, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  /** The URL without its query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  url: string;
  /** Every request so far, in order (clear it with `seen.length = 0`). */
  seen: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingServer(answer: (request: RecordedRequest, res: ServerResponse) => void): Promise<RecordingServer> {
  const seen: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const url = req.url ?? "";
      const request = { method: req.method ?? "", url, path: url.split("?")[0] ?? "", headers: req.headers, body };
      seen.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

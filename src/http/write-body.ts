// Answers written with backpressure: a slice at a time, the next only when the client has taken the last.
// The slices are views of the snapshot's buffers (no copy); a client that stops reading holds one slice,
// not the whole exposition, and the TLS layer encrypts no further ahead than that.
import type { ServerResponse } from "node:http";

export const WRITE_SLICE_BYTES = 64 * 1024;

/** Writes `chunks` as the whole body, then ends the answer; stops quietly when the client goes away. */
export async function writeBody(res: ServerResponse, chunks: readonly Buffer[]): Promise<void> {
  for (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; offset += WRITE_SLICE_BYTES) {
      if (gone(res)) return;
      if (!res.write(chunk.subarray(offset, offset + WRITE_SLICE_BYTES))) await drained(res);
    }
  }
  if (!gone(res)) res.end();
}

const gone = (res: ServerResponse): boolean => res.destroyed || res.req.socket.destroyed;

/** The answer can take more, or the connection is gone (an answer queued behind others has no 'close' of its own). */
function drained(res: ServerResponse): Promise<void> {
  const socket = res.req.socket;
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      socket.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
    socket.on("close", done);
  });
}

import { Writable } from "node:stream";

/** A pino destination that keeps every line logged to it, as text, for tests that assert on logs. */
export function logSink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter((l) => l !== ""));
      done();
    },
  });
  return { stream, lines };
}

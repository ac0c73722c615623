import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { createLogger, redactText } from "../../observability/index.ts";
import { childTraceparent, newTraceparent, TRACEPARENT_PATTERN } from "../../observability/traceparent.ts";

/** A pino destination that keeps each emitted JSON line, parsed. */
function sink(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

test("log lines never carry card numbers, message text, fact data or credentials", () => {
  const { stream, lines } = sink();
  const log = createLogger({ role: "test", destination: stream }).child({ caseId: "c-1" });
  log.info({ text: "my card is 4111 1111 1111 1111", data: { pan: "4111111111111111" }, token: "s3cret" }, "customer wrote");
  log.warn("charge on card 4111-1111-1111-1111 and SSN 123-45-6789 disputed; order 1234567890123 is fine");
  const all = JSON.stringify(lines);
  assert.doesNotMatch(all, /4111[ -]?1111[ -]?1111/);
  assert.doesNotMatch(all, /s3cret|123-45-6789/);
  assert.equal(lines[0]?.["text"], "[redacted]");
  assert.equal(lines[0]?.["caseId"], "c-1");
  assert.match(String(lines[1]?.["msg"]), /\[card \*\*\*\*1111\]/);
  // An order number that is not a valid card number is left readable.
  assert.match(String(lines[1]?.["msg"]), /order 1234567890123 is fine/);
});

test("redactText masks Luhn-valid card numbers only", () => {
  assert.equal(redactText("pay with 5500 0000 0000 0004 now"), "pay with [card ****0004] now");
  assert.equal(redactText("tracking 1234 5678 9012 3456"), "tracking 1234 5678 9012 3456");
});

test("traceparent: a child keeps the trace id and gets a new span id", () => {
  const parent = newTraceparent();
  const child = childTraceparent(parent);
  assert.match(child, TRACEPARENT_PATTERN);
  assert.equal(child.split("-")[1], parent.split("-")[1]);
  assert.notEqual(child.split("-")[2], parent.split("-")[2]);
  assert.match(childTraceparent("garbage"), TRACEPARENT_PATTERN);
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";
import { Registry } from "prom-client";
import { ClaudeReasoner } from "../../peers/cx/reasoners/index.ts";

/**
 * A local stand-in for Anthropic's Messages API (`POST /v1/messages`) on
 * 127.0.0.1 and a random port: it answers with the tool_use blocks a test
 * scripts, reports the usage numbers it is given, records every request body,
 * and can be told to fail the next requests with 529 or 500. The only fake
 * model in the test suite; no test reaches the internet.
 */

/** Token counts the fake reports for one answer. */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** One scripted answer: a tool_use block (name and input), or plain text. */
export type FakeAnswer =
  | { tool: string; input: unknown; usage?: FakeUsage }
  | { text: string; usage?: FakeUsage };

/** A request the fake received, with the status it answered. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** The raw body text, for assertions that must see every byte sent. */
  raw: string;
  status: number;
}

/** The default usage numbers of an answer. */
export const FAKE_USAGE: FakeUsage = { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };

/** A running fake Messages API. */
export interface FakeAnthropic {
  /** `http://127.0.0.1:<port>`: pass as `baseURL` / ANTHROPIC_BASE_URL. */
  readonly url: string;
  /** Every request received, in order, failed ones included. */
  readonly requests: RecordedRequest[];
  /** Queues answers, used one per successful request in order. */
  answer(...answers: FakeAnswer[]): void;
  /** Fails the next `count` requests with `status` (an overloaded_error for 529, api_error otherwise). */
  failNext(count: number, status?: 529 | 500): void;
  close(): Promise<void>;
}

/** Starts a fake Messages API on 127.0.0.1 and a free port. */
export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const answers: FakeAnswer[] = [];
  const failures: Array<529 | 500> = [];
  let served = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", "request-id": `req_fake_${requests.length}`, ...headers });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        body = {};
      }
      const record = (status: number) =>
        requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, raw, status });

      if (req.method !== "POST" || !(req.url ?? "").startsWith("/v1/messages")) {
        record(404);
        return send(res, 404, { type: "error", error: { type: "not_found_error", message: `fake-anthropic serves POST /v1/messages, not ${req.method} ${req.url}` } });
      }
      const failure = failures.shift();
      if (failure !== undefined) {
        record(failure);
        const type = failure === 529 ? "overloaded_error" : "api_error";
        // retry-after-ms keeps the SDK's backoff short in tests.
        return send(res, failure, { type: "error", error: { type, message: failure === 529 ? "Overloaded" : "Internal server error" } }, { "retry-after-ms": "5" });
      }
      const next = answers.shift();
      if (next === undefined) {
        record(400);
        return send(res, 400, { type: "error", error: { type: "invalid_request_error", message: "fake-anthropic: no answer scripted for this request" } }, { "x-should-retry": "false" });
      }
      record(200);
      served += 1;
      const usage = { ...FAKE_USAGE, ...next.usage };
      const content =
        "tool" in next
          ? [{ type: "tool_use", id: `toolu_fake_${served}`, name: next.tool, input: next.input }]
          : [{ type: "text", text: next.text, citations: null }];
      send(res, 200, {
        id: `msg_fake_${served}`,
        type: "message",
        role: "assistant",
        model: typeof body["model"] === "string" ? body["model"] : "fake",
        content,
        stop_reason: "tool" in next ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage,
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (...more) => void answers.push(...more),
    failNext: (count, status = 529) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
      }),
  };
}

/** A fake Messages API for one test, closed after it. */
export async function fakeModel(t: TestContext): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic();
  t.after(() => fake.close());
  return fake;
}

/** A Claude reasoner talking to `fake`, with short timeouts and two retries. */
export function claude(fake: FakeAnthropic, metrics = new Registry()): ClaudeReasoner {
  return new ClaudeReasoner({ apiKey: "test-key", baseURL: fake.url, metrics, timeoutMs: 5_000, maxRetries: 2 });
}

import {
  status,
  type Metadata,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
} from "@grpc/grpc-js";
import type { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { Channel } from "../blackboard/index.ts";
import { asCasemeshError, OverloadedError, TimeoutError, TooLargeError, UnavailableError } from "../core/index.ts";
import type { Authenticator, Principal } from "./credentials.ts";
import { childTraceparent } from "../observability/index.ts";
import { statusName, toGrpcStatus } from "./grpc-status.ts";
import { streamWriter, type WritableCall } from "./stream-io.ts";
import type { GatewayMetrics } from "./metrics.ts";

/**
 * Wraps every handler the same way: authenticate from metadata, bound the
 * work in flight, honour the deadline and cancellation, map errors to gRPC
 * statuses, log without request content, and count the call.
 */

/**
 * The most call metadata accepted, in bytes, counted as HTTP/2 counts a
 * header list (name, value and 32 per entry). grpc-js ignores the server
 * option `grpc.max_metadata_size`, so the guard enforces it.
 */
export const DEFAULT_MAX_METADATA_BYTES = 8 * 1024;

/** What a handler gets besides its request. */
export interface CallScope {
  principal: Principal;
  /** Aborted when the client cancels or the deadline passes. */
  signal: AbortSignal;
  log: Logger;
  /** Names the call's channel for the metric labels once the request is parsed. */
  setChannel(channel: Channel): void;
  /** Throws a TimeoutError if the deadline has passed: call it before writing anything. */
  checkDeadline(): void;
  /** The W3C trace context for facts this call writes: the caller's `traceparent` metadata continued, or a new trace. */
  traceparent: string;
}

export interface RpcGuardOptions {
  auth: Authenticator;
  metrics: GatewayMetrics;
  log: Logger;
  maxInFlight: number;
  maxStreams: number;
  /** @default DEFAULT_MAX_METADATA_BYTES */
  maxMetadataBytes?: number;
}

/** A unit of work a session message or unary call takes; released when it ends. */
export interface Permit {
  release(): void;
}

export class RpcGuard {
  readonly #o: RpcGuardOptions;
  #inFlight = 0;
  #streams = 0;
  #slotFreed: (() => void)[] = [];
  #closing = false;
  readonly #openStreams = new Set<() => void>();

  constructor(options: RpcGuardOptions) {
    this.#o = options;
  }

  /** Takes one in-flight slot or throws RESOURCE_EXHAUSTED. */
  acquire(): Permit {
    if (this.#inFlight >= this.#o.maxInFlight) {
      throw new OverloadedError(`gateway busy: its limit on requests in flight (${this.#o.maxInFlight}) is reached; retry with backoff`);
    }
    this.#inFlight++;
    this.#o.metrics.inFlight.set(this.#inFlight);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
        this.#o.metrics.inFlight.set(this.#inFlight);
        this.#slotFreed.shift()?.();
      },
    };
  }

  /**
   * Takes one in-flight slot, waiting for one to free up: a stream's next
   * message waits (backpressure on that stream) instead of failing. Each
   * stream waits for at most one slot, so the waiters are bounded by the
   * stream limit. Throws when `signal` aborts first.
   */
  async acquireWhenFree(signal: AbortSignal): Promise<Permit> {
    while (this.#inFlight >= this.#o.maxInFlight) {
      if (signal.aborted) throw asCasemeshError(signal.reason);
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", wake);
          this.#slotFreed = this.#slotFreed.filter((w) => w !== wake);
          resolve();
        };
        this.#slotFreed.push(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
    if (signal.aborted) throw asCasemeshError(signal.reason);
    return this.acquire();
  }

  /**
   * The gateway is stopping: refuse new streams and end every open one with
   * UNAVAILABLE, so clients resume on another gateway at once (from the last
   * sequence they received) instead of waiting out the shutdown grace.
   */
  closeStreams(): void {
    this.#closing = true;
    for (const close of [...this.#openStreams]) close();
  }

  unary<Req, Res>(method: string, handler: (request: Req, scope: CallScope) => Promise<Res>) {
    return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      const started = performance.now();
      const { scope, done, channel } = this.#scope(method, call);
      const run = async () => {
        const permit = this.acquire();
        try {
          scope.principal = this.#admit(call.metadata);
          scope.checkDeadline();
          return await handler(call.request, scope);
        } finally {
          permit.release();
        }
      };
      run().then(
        (response) => {
          this.#count(method, channel(), status.OK);
          this.#o.metrics.latency.observe({ method }, (performance.now() - started) / 1000);
          done();
          callback(null, response);
        },
        (err: unknown) => {
          const s = this.#fail(method, channel(), err, scope);
          this.#o.metrics.latency.observe({ method }, (performance.now() - started) / 1000);
          done();
          callback(s);
        },
      );
    };
  }

  serverStream<Req, Res>(method: string, handler: (request: Req, scope: CallScope, call: ServerWritableStream<Req, Res>) => Promise<void>) {
    return (call: ServerWritableStream<Req, Res>): void => {
      this.#stream(method, call, (scope) => handler(call.request, scope, call));
    };
  }

  bidi<Req, Res>(method: string, handler: (call: ServerDuplexStream<Req, Res>, scope: CallScope) => Promise<void>) {
    return (call: ServerDuplexStream<Req, Res>): void => {
      this.#stream(method, call, (scope) => handler(call, scope));
    };
  }

  /** A writer for `method`'s stream that waits for the client to drain and counts every event sent. */
  writer<T>(method: string, call: WritableCall<T>): (message: T) => Promise<void> {
    const write = streamWriter(call);
    return async (message) => {
      await write(message);
      this.#o.metrics.events.inc({ method });
    };
  }

  #stream(
    method: string,
    call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>,
    body: (scope: CallScope) => Promise<void>,
  ): void {
    const { scope, done, channel, abort } = this.#scope(method, call);
    const close = () => abort(new UnavailableError("the gateway is stopping; resume on another gateway"));
    const run = async () => {
      scope.principal = this.#admit(call.metadata);
      scope.checkDeadline();
      if (this.#closing) close();
      if (this.#streams >= this.#o.maxStreams) {
        throw new OverloadedError(`gateway busy: its limit on open streams (${this.#o.maxStreams}) is reached; retry with backoff`);
      }
      this.#streams++;
      this.#openStreams.add(close);
      this.#o.metrics.streams.inc({ method });
      try {
        await body(scope);
      } finally {
        this.#streams--;
        this.#openStreams.delete(close);
        this.#o.metrics.streams.dec({ method });
      }
      // Ended by the gateway stopping: say so, so the client resumes elsewhere.
      if (scope.signal.reason instanceof UnavailableError) throw scope.signal.reason;
    };
    run().then(
      () => {
        this.#count(method, channel(), scope.signal.aborted ? status.CANCELLED : status.OK);
        done();
        if (!call.cancelled) call.end();
      },
      (err: unknown) => {
        const s = this.#fail(method, channel(), err, scope);
        done();
        if (!call.cancelled) call.emit("error", s);
      },
    );
  }

  /** Refuses metadata over the bound (RESOURCE_EXHAUSTED), then authenticates the caller. */
  #admit(metadata: Metadata): Principal {
    const max = this.#o.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
    let bytes = 0;
    for (const [key, values] of Object.entries(metadata.toJSON())) {
      for (const value of values) bytes += 32 + key.length + (typeof value === "string" ? Buffer.byteLength(value) : value.length);
    }
    if (bytes > max) throw new TooLargeError(`request metadata is ${bytes} bytes; at most ${max} are accepted`);
    return this.#o.auth.authenticate(metadata);
  }

  #scope(method: string, call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>) {
    const controller = new AbortController();
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
    const timer = Number.isFinite(deadlineMs) ? setTimeout(() => controller.abort(new TimeoutError(`${method}: deadline exceeded`)), Math.max(0, deadlineMs - Date.now())) : undefined;
    const onCancel = () => controller.abort(new TimeoutError(`${method}: cancelled by the client`));
    const events: EventEmitter = call;
    events.once("cancelled", onCancel);
    let channel: string = "none";
    const given = call.metadata.get("traceparent")[0];
    const scope: CallScope = {
      principal: { id: "anonymous", channels: new Set(), desk: false, operator: false },
      traceparent: childTraceparent(typeof given === "string" ? given : undefined),
      signal: controller.signal,
      log: this.#o.log.child({ method }),
      setChannel: (c) => {
        channel = c;
      },
      checkDeadline: () => {
        if (Number.isFinite(deadlineMs) && Date.now() >= deadlineMs) throw new TimeoutError(`${method}: deadline exceeded before any work was done`);
        if (controller.signal.aborted) throw asCasemeshError(controller.signal.reason);
      },
    };
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      events.removeListener("cancelled", onCancel);
    };
    return { scope, done, channel: () => channel, abort: (reason: Error) => controller.abort(reason) };
  }

  #fail(method: string, channel: string, err: unknown, scope: CallScope) {
    const s = toGrpcStatus(err);
    this.#count(method, channel, s.code);
    // `credentialId`: the logger censors any field named `credential`.
    const fields = { code: statusName(s.code), credentialId: scope.principal.id, channel };
    if (s.code === status.INTERNAL) scope.log.error({ ...fields, err: asCasemeshError(err).message }, "request failed");
    else scope.log.debug({ ...fields, details: s.details }, "request refused");
    return s;
  }

  #count(method: string, channel: string, code: status): void {
    this.#o.metrics.requests.inc({ method, channel, code: statusName(code) });
  }
}

import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { errors } from "@nats-io/transport-node";

/**
 * Telling NATS errors apart, written once and by type, never by message
 * text: nats.js v3 throws `JetStreamApiError` with the server's API error
 * code for JetStream refusals, and small error classes (`TimeoutError`,
 * `NoRespondersError`, `RequestError`, ...) for the transport. A wrapper
 * (a JetStream "not enabled" error around a no-responders reply, say) keeps
 * the original as `cause`, so every test here walks the cause chain.
 */

/** The JetStream API error codes casemesh acts on (nats-server's `errors.json`). */
export const JS_API_CODES = {
  ...JetStreamApiCodes,
  /** JetStream system temporarily unavailable (a server starting, a cluster without a leader). */
  ClusterNotAvailable: 10008,
  /** A consumer name is already in use with another configuration. */
  ConsumerNameExists: 10013,
  /** A consumer already exists and is still active. */
  ConsumerExistingActive: 10105,
  /** CREATE of a consumer that exists with another configuration (nats-server 2.10+). */
  ConsumerAlreadyExists: 10148,
  /** The message is larger than the stream's `max_msg_size`. */
  MessageTooLarge: 10054,
  /** A stream name is already in use with another configuration. */
  StreamNameExists: 10058,
} as const;

/** `err` and the errors it was caused by, outermost first (at most 8 deep). */
function* causes(err: unknown): Generator<unknown> {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}

/** The server's JetStream API error code in `err` (or what caused it); undefined when it is not a JetStream API error. */
export function jetStreamApiCode(err: unknown): number | undefined {
  for (const e of causes(err)) if (e instanceof JetStreamApiError) return e.code;
  return undefined;
}

/** True when JetStream refused `err` with one of `codes`. */
export function isJetStreamApiError(err: unknown, ...codes: number[]): boolean {
  const code = jetStreamApiCode(err);
  return code !== undefined && codes.includes(code);
}

/**
 * True when a write with an expected last (subject) sequence was refused
 * because the subject had moved on: a KV `create` of a key that exists, an
 * `update` or revisioned `delete` at a stale revision. A lost
 * compare-and-set, not a failure.
 */
export function isCasRefusal(err: unknown): boolean {
  return isJetStreamApiError(err, JS_API_CODES.StreamWrongLastSequence, JS_API_CODES.StreamWrongLastSequenceUnknown);
}

/** True when a request or JetStream call ran out of time waiting for an answer. */
export function isNatsTimeout(err: unknown): boolean {
  for (const e of causes(err)) if (e instanceof errors.TimeoutError) return true;
  return false;
}

/** True when nothing listens on the subject asked (no replica, no stream behind a JetStream subject). */
export function isNoResponders(err: unknown): boolean {
  for (const e of causes(err)) if (e instanceof errors.NoRespondersError) return true;
  return false;
}

/**
 * True when `err` says NATS or JetStream is away or slow right now, so the
 * same call may succeed later: a timeout, no responders (JetStream not
 * there yet), a request cut by a disconnect, JetStream not enabled or
 * temporarily unavailable, any other API error reported as 503. False for
 * a closed connection: nothing comes back from that.
 */
export function isNatsTransient(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e instanceof errors.ClosedConnectionError || e instanceof errors.DrainingConnectionError) return false;
    if (e instanceof errors.TimeoutError || e instanceof errors.NoRespondersError || e instanceof errors.ConnectionError) return true;
    if (e instanceof errors.RequestError) return true;
    if (e instanceof JetStreamApiError) {
      return e.code === JS_API_CODES.JetStreamNotEnabledForAccount || e.code === JS_API_CODES.ClusterNotAvailable || e.status === 503;
    }
  }
  return false;
}

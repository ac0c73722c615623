/** JSON in NATS message bodies and KV values: the caller parses the result with its zod schema. */

/** One decoder for every call: making a TextDecoder costs more than most of the JSON it decodes. */
const UTF8 = new TextDecoder();
/** The same, refusing bytes that are not UTF-8 instead of replacing them. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes bytes as JSON; throws, naming the problem, when they are not UTF-8 or not JSON. */
export function parseJsonStrict(data: Uint8Array): unknown {
  return JSON.parse(STRICT_UTF8.decode(data));
}

/** Decodes bytes as JSON; undefined when they are not JSON. */
export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(UTF8.decode(data));
  } catch {
    return undefined;
  }
}

/** Encodes a value as JSON bytes. */
export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

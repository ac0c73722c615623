/** JSON in NATS message bodies and KV values: the caller parses the result with its zod schema. */

/** One decoder for every call: making a TextDecoder costs more than most of the JSON it decodes. */
const UTF8 = new TextDecoder();

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

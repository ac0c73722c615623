/** JSON in NATS message bodies and KV values: the caller parses the result with its zod schema. */

/** Decodes bytes as JSON; undefined when they are not JSON. */
export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

/** Encodes a value as JSON bytes. */
export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

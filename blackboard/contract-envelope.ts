import { z } from "zod";
import { TRACEPARENT_PATTERN } from "../observability/index.ts";

/**
 * The envelope every fact travels in. The kind-specific part lives in `data`
 * and is declared in contract-kinds.ts. Ids that end up in NATS subjects or
 * level keys are restricted to characters that are safe in both.
 */

/** A case id: letters, digits, `_` and `-`; it is a NATS subject token. */
export const CaseId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
export type CaseId = z.infer<typeof CaseId>;

/** A customer id: same alphabet as a case id. */
export const CustomerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
export type CustomerId = z.infer<typeof CustomerId>;

/** A fact id: a 26-character time-sortable ULID. */
export const FactId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be a 26-character ULID");
export type FactId = z.infer<typeof FactId>;

/**
 * A need id (also used for timer ids and other work ids). It is a JetStream
 * KV key (the need's claim), so only letters, digits, `_`, `.` and `-`.
 */
export const WorkId = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/, "must be 1-128 letters, digits, _ . or -");
export type WorkId = z.infer<typeof WorkId>;

/** A capability: dotted lower-case words, e.g. `billing.dispute`, `human.billing`. */
export const Capability = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,5}$/, "must be dotted lower-case words, e.g. billing.dispute");
export type Capability = z.infer<typeof Capability>;

/** A fact kind name: dotted lower-case words, e.g. `credit.applied`. */
export const KindName = z
  .string()
  .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*){1,3}$/, "must be a dotted fact kind, e.g. credit.applied");

/** Who wrote a fact: the peer, the capability it served, and its version. */
export const FactSource = z.strictObject({
  peer: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be 1-128 letters, digits, _ . : or -"),
  capability: Capability,
  version: z.string().min(1).max(64),
});
export type FactSource = z.infer<typeof FactSource>;

/** An ISO-8601 UTC instant with milliseconds, e.g. `2026-11-21T09:42:00.000Z`. */
export const Instant = z.iso.datetime({ offset: false, precision: 3 });

/** W3C `traceparent`. */
export const Traceparent = z.string().regex(TRACEPARENT_PATTERN, "must be a W3C traceparent");

/** The envelope fields, with `data` left open; each kind narrows `kind`, `v` and `data`. */
export const envelopeShape = {
  id: FactId,
  caseId: CaseId,
  kind: KindName,
  v: z.number().int().positive(),
  at: Instant,
  source: FactSource,
  causedBy: FactId.nullable(),
  needId: WorkId.nullable(),
  traceparent: Traceparent.nullable(),
  data: z.unknown(),
};

/** The envelope alone: what can be checked before the kind is known. */
export const FactEnvelope = z.strictObject(envelopeShape);
export type FactEnvelope = z.infer<typeof FactEnvelope>;

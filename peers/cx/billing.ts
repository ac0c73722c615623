/**
 * The billing peer: serves `billing.dispute`. From the case's facts (the
 * charges `account.loaded` holds, narrowed by what `intent.classified` found
 * in the customer's words) it finds the charge that was taken twice. A
 * refund at or below the human threshold is credited through the ledger,
 * once per need, and handed on to `reply`; a larger one, or a dispute the
 * facts do not explain, goes to a person (`escalation.requested` and a
 * `human.billing` need), crediting nothing. Run it on its own with
 * `NATS_URL=… node --import tsx peers/cx/billing.ts`.
 */
import { z } from "zod";
import type { Money, StoredFact } from "../../blackboard/index.ts";
import { capability, definePeer, type PeerDefinition, type PeerHost, loadPeerId, runPeers, type StepResult } from "../index.ts";
import type { Charge } from "./account-data.ts";
import { latestOf } from "./case-facts.ts";
import { Ledger, type CreditLedger } from "./ledger.ts";
import { envConfigError, isMain, PermissionDeniedError } from "../../core/index.ts";

/** The capability this peer serves. */
export const BILLING_DISPUTE = "billing.dispute";
/** Where disputes a person must decide go, and where a failing dispute step falls back to. */
export const HUMAN_BILLING = "human.billing";
/** The capability that tells the customer what happened. */
export const REPLY = "reply";
/** Refunds up to this many minor units (100.00) are credited without a person. */
export const DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR = 10_000;

/** The billing peer's own configuration. */
export interface BillingConfig {
  /** The largest refund, in minor units of the charge's currency, credited without a person. @default DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR */
  humanThresholdMinor: number;
}

/** The billing peer's environment; each description is its row in docs/configuration.md. */
export const BillingEnv = z.object({
  CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR: z
    .string()
    .regex(/^\d{1,12}$/, "CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR must be a whole number of minor units, e.g. 10000 for 100.00")
    .transform(Number)
    .default(DEFAULT_BILLING_HUMAN_THRESHOLD_MINOR)
    .describe("The largest refund, in minor units of the charge's currency, the billing peer credits without a person; larger ones go to human.billing."),
});

/** Parses the billing peer's environment. @throws ConfigError naming the bad variable. */
export function loadBillingConfig(env: NodeJS.ProcessEnv = process.env): BillingConfig {
  const value = env["CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR"];
  const parsed = BillingEnv.safeParse(value === undefined || value === "" ? {} : { CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR: value });
  if (!parsed.success) {
    throw envConfigError(parsed.error.issues);
  }
  return { humanThresholdMinor: parsed.data.CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR };
}

/** The input of a `billing.dispute` need: an optional pointer at the disputed charge; the rest is read from the case. */
export const BillingDisputeInput = z.object({ chargeId: z.string().min(1).max(64).optional() });
export type BillingDisputeInput = z.infer<typeof BillingDisputeInput>;

/** A charge taken more than once: the first is kept, the rest are refunded. */
export interface DuplicateCharge {
  kept: Charge;
  duplicates: Charge[];
  /** What to give back: the duplicates' total. */
  refund: Money;
}

/** What the case says about a billing dispute. */
export type DisputeFinding = { found: DuplicateCharge } | { unclear: string };

/** Clues from the customer's words that pick one duplicated charge among several. */
export interface DisputeHints {
  chargeId?: string;
  amounts?: Money[];
  /** Dates as the customer said them: "October", "2026-10", "1 October". */
  dates?: string[];
}

/**
 * Finds the duplicated charge: charges with the same description, amount and
 * currency taken more than once. Several candidates are narrowed by the
 * hints (a charge id, an amount, a month named); when that does not leave
 * exactly one, the finding says why it is unclear.
 */
export function findDuplicateCharge(charges: readonly Charge[], hints: DisputeHints = {}): DisputeFinding {
  const groups = new Map<string, Charge[]>();
  for (const c of charges) {
    const key = `${c.amount.currency} ${c.amount.amountMinor} ${c.description.trim().toLowerCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  let candidates = [...groups.values()].filter((g) => g.length > 1);
  if (candidates.length === 0) return { unclear: "no charge on the account was taken twice" };
  const narrow = (keep: (g: Charge[]) => boolean) => {
    const kept = candidates.filter(keep);
    if (kept.length > 0) candidates = kept;
  };
  const { chargeId, amounts = [], dates = [] } = hints;
  if (chargeId !== undefined) narrow((g) => g.some((c) => c.chargeId === chargeId));
  if (amounts.length > 0) narrow((g) => amounts.some((m) => m.currency === g[0]?.amount.currency && m.amountMinor === g[0]?.amount.amountMinor));
  if (dates.length > 0) narrow((g) => dates.some((d) => g.some((c) => mentions(c, d))));
  const [group, ...others] = candidates;
  if (group === undefined || others.length > 0) return { unclear: `${candidates.length} charges were taken twice and the customer's words do not say which is disputed` };
  const sorted = [...group].sort((a, b) => a.at.localeCompare(b.at) || a.chargeId.localeCompare(b.chargeId));
  const [kept, ...duplicates] = sorted as [Charge, ...Charge[]];
  return { found: { kept, duplicates, refund: { amountMinor: kept.amount.amountMinor * duplicates.length, currency: kept.amount.currency } } };
}

function mentions(charge: Charge, said: string): boolean {
  const s = said.trim().toLowerCase();
  if (s === "") return false;
  const month = new Date(charge.at).toLocaleString("en-GB", { month: "long", timeZone: "UTC" }).toLowerCase();
  return charge.description.toLowerCase().includes(s) || s.includes(month) || s.includes(month.slice(0, 3)) || charge.at.startsWith(s);
}

/** `4999 EUR` as `€49.99`. */
export function formatMoney(m: Money): string {
  const format = new Intl.NumberFormat("en-GB", { style: "currency", currency: m.currency });
  return format.format(m.amountMinor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** What the billing peer is made of. */
export interface BillingPeerOptions {
  ledger: CreditLedger;
  config: BillingConfig;
  /** @default DEFAULT_BILLING_PEER_ID (the process passes PEER_ID) */
  id?: string;
}

/** Builds the billing peer over `options.ledger`. */
export function billingPeer(options: BillingPeerOptions): PeerDefinition {
  const { ledger, config } = options;
  const escalate = (reason: string, input: Record<string, z.core.util.JSONType>): StepResult => ({
    facts: [{ kind: "escalation.requested", data: { capability: HUMAN_BILLING, reason, priority: "normal" } }],
    needs: [{ capability: HUMAN_BILLING, input: { reason, ...input } }],
  });
  return definePeer({
    id: options.id ?? DEFAULT_BILLING_PEER_ID,
    version: "1.0.0",
    capacity: 16,
    capabilities: [
      capability({
        name: BILLING_DISPUTE,
        input: BillingDisputeInput,
        fit: 1,
        fallback: HUMAN_BILLING,
        async handler(input, ctx) {
          const facts: readonly StoredFact[] = ctx.case.facts;
          const account = latestOf(facts, "account.loaded");
          if (account === undefined) throw new Error(`case ${ctx.need.caseId} holds no account.loaded; open billing.dispute with requires: ["account.loaded"]`);
          if (ctx.case.state.verifiedAccountId !== account.accountId) {
            // A credit touches the account: only for a case verified for it (the blackboard would refuse credit.applied anyway, after the ledger moved).
            throw new PermissionDeniedError(`case ${ctx.need.caseId} is not verified for the account it disputes; no credit without identity.verified`);
          }
          const entities = latestOf(facts, "intent.classified")?.entities;
          const finding = findDuplicateCharge(account.charges, {
            ...(input.chargeId === undefined ? {} : { chargeId: input.chargeId }),
            amounts: entities?.amounts ?? [],
            dates: entities?.dates ?? [],
          });
          if ("unclear" in finding) {
            ctx.log.info({ accountId: account.accountId, why: finding.unclear }, "dispute unclear; handing to a person");
            return escalate(`billing dispute on ${account.accountId}: ${finding.unclear}`, { accountId: account.accountId });
          }
          const { kept, duplicates, refund } = finding.found;
          const chargeIds = duplicates.map((c) => c.chargeId);
          const what = `${kept.description} was charged ${duplicates.length + 1} times (${[kept.chargeId, ...chargeIds].join(", ")})`;
          if (refund.amountMinor > config.humanThresholdMinor) {
            ctx.log.info({ accountId: account.accountId, refund, thresholdMinor: config.humanThresholdMinor }, "refund above the threshold; handing to a person");
            return escalate(
              `${what}; a refund of ${formatMoney(refund)} is above the ${formatMoney({ amountMinor: config.humanThresholdMinor, currency: refund.currency })} a peer may credit`,
              { accountId: account.accountId, chargeIds, amount: refund },
            );
          }
          const reason = `refund of duplicate charge: ${what}`;
          // Keyed by the charges given back: a re-run of this step, and another
          // step about the same charges (a customer who writes twice), meet on
          // one ledger key, and the ledger's create lets only one credit in.
          const credit = await ledger.apply({
            idempotencyKey: refundKey(account.accountId, chargeIds),
            stepKey: ctx.idempotencyKey,
            accountId: account.accountId,
            amount: refund,
            reason,
            chargeIds,
          });
          ctx.log.info({ accountId: account.accountId, ledgerRef: credit.ledgerRef, applied: credit.applied, refund }, credit.applied ? "credit applied" : "credit was already applied");
          const { entry } = credit;
          if (entry.stepKey !== ctx.idempotencyKey) {
            ctx.log.info({ accountId: account.accountId, ledgerRef: entry.ledgerRef }, "the duplicate charge was already credited by another step");
            return {
              needs: [
                {
                  capability: REPLY,
                  input: {
                    about: "credit.already_applied",
                    tell: `Your ${kept.description} was taken twice. We already credited ${formatMoney(entry.amount)} back to your account on ${entry.appliedAt.slice(0, 10)}; your reference is ${entry.ledgerRef}.`,
                    amount: entry.amount,
                    ledgerRef: entry.ledgerRef,
                  },
                },
              ],
            };
          }
          return {
            facts: [
              {
                kind: "credit.applied",
                data: { accountId: entry.accountId, amount: entry.amount, reason: entry.reason, ledgerRef: entry.ledgerRef, idempotencyKey: entry.idempotencyKey },
              },
            ],
            needs: [
              {
                capability: REPLY,
                input: {
                  about: "credit.applied",
                  tell: `Your ${kept.description} was taken twice. We have credited ${formatMoney(entry.amount)} back to your account; your reference is ${entry.ledgerRef}.`,
                  amount: entry.amount,
                  ledgerRef: entry.ledgerRef,
                },
              },
            ],
          };
        },
      }),
    ],
  });
}

/**
 * Runs the billing peer as this process's job: parses its configuration,
 * opens the ledger on its own NATS connection (runPeers keeps its connection
 * to itself), and hands the peer to {@link runPeers}. Exits 2 on bad
 * configuration. `wrapLedger` lets a test fixture stand between the peer and
 * the ledger.
 */
export async function runBillingPeer(options: { wrapLedger?: (ledger: Ledger) => CreditLedger } = {}): Promise<PeerHost> {
  return runPeers(
    async ({ nc, config: mesh, prepared: { id, config } }) => {
      const ledger = await Ledger.open(nc, { replicas: mesh.streamReplicas });
      return [billingPeer({ id, ledger: options.wrapLedger?.(ledger) ?? ledger, config })];
    },
    { role: "billing", prepare: (env: NodeJS.ProcessEnv) => ({ id: loadPeerId(env, DEFAULT_BILLING_PEER_ID), config: loadBillingConfig(env) }) },
  );
}

/** The billing peer's id when PEER_ID is unset. */
export const DEFAULT_BILLING_PEER_ID = "billing-1";

if (isMain(import.meta.url)) await runBillingPeer();

/** The ledger key of a refund: the account and the charges it gives back, whichever step applies it. */
export function refundKey(accountId: string, chargeIds: readonly string[]): string {
  return `refund.${accountId}.${[...chargeIds].sort().join(".")}`;
}


/**
 * The composer peer: serves `reply`. It drafts `reply.drafted` for the
 * channel the need names, or else the channel the customer last used, with
 * the reasoner's `draftReply` (short for chat, speakable for voice, complete
 * for email), conveying what the need asks to tell and what the case holds
 * (a credit's amount and ledger reference), with the customer's name when
 * known. An ask (`ask: "account_number"`) is not sent when the case has come
 * to hold the thing asked for meanwhile. After telling a customer about a
 * credit it hands a follow-up to `followup.schedule`: an email in 24 hours
 * unless the case is resolved.
 * Run it on its own with `NATS_URL=… node --import tsx peers/cx/composer.ts`.
 */
import { z } from "zod";
import { Channel, type StoredFact } from "../../blackboard/index.ts";
import { capability, definePeer, type FollowUp, type PeerDefinition, type PeerHost, loadPeerId, runPeers, type StepContext } from "../index.ts";
import { loadAccountData, type AccountData } from "./account-data.ts";
import { REPLY, formatMoney } from "./billing.ts";
import { factsOf, latestOf } from "./case-facts.ts";
import { assembleContext, type ContextHierarchy, loadContextHierarchy } from "./context/index.ts";
import { FOLLOWUP_SCHEDULE } from "./followup.ts";
import { AccountNumberAsk, accountNumbersIn, knownAccount } from "./identity.ts";
import { checkReasonerEnv, reasonerResolver, type ReasonerSource } from "./reasoner-source.ts";
import { isMain } from "../../core/index.ts";

/** The `about` of a reply that tells the customer a credit was applied: it schedules the follow-up. */
export const ABOUT_CREDIT = "credit.applied";
/** The `about` of the follow-up reply itself: it schedules nothing. */
export const ABOUT_FOLLOWUP = "followup";
/** How long after a credit the follow-up email goes out unless the case is resolved. */
export const FOLLOWUP_DELAY_MS = 24 * 60 * 60 * 1000;
/** What the follow-up timer is for. */
export const FOLLOWUP_PURPOSE = "email the customer in 24 hours if the case is not confirmed resolved";

/**
 * The input of a `reply` need. Loose on purpose: any peer can hand off a
 * reply, and fields the composer does not know are ignored.
 */
export const ReplyInput = z.looseObject({
  /** What the reply is about, e.g. `credit.applied`, `identity.ask`, `case.status`, `followup`. */
  about: z.string().min(1).max(128).optional(),
  /** What the reply must tell, in plain sentences. */
  tell: z.string().min(1).max(2_000).optional(),
  /** The channel to reply on. @default the case's current channel */
  channel: Channel.optional(),
  /** The one thing the reply asks the customer for, if it asks. */
  ask: AccountNumberAsk.optional(),
  /** The ledger reference of a credit the reply is about. */
  ledgerRef: z.string().min(1).max(128).optional(),
});
export type ReplyInput = z.infer<typeof ReplyInput>;

/**
 * What the reply conveys, one sentence each, most important first: the
 * need's `tell`, a credit's reference when `tell` leaves it out, and, for a
 * status reply with nothing to tell, where the case stands.
 */
export function replyFacts(input: ReplyInput, facts: readonly StoredFact[]): string[] {
  const lines: string[] = [];
  if (input.tell !== undefined) lines.push(input.tell);
  const credit = latestOf(facts, "credit.applied");
  if (input.tell !== undefined) {
    const ref = input.ledgerRef ?? (input.about === ABOUT_CREDIT ? credit?.ledgerRef : undefined);
    if (ref !== undefined && !input.tell.includes(ref)) lines.push(`Your reference is ${ref}.`);
    return lines;
  }
  if (credit !== undefined) {
    lines.push(`We have credited ${formatMoney(credit.amount)} back to your account; your reference is ${credit.ledgerRef}.`);
  } else if (latestOf(facts, "escalation.requested") !== undefined) {
    lines.push("A colleague is looking at your case and will be in touch with you.");
  } else {
    lines.push("We are looking into your case and will be in touch.");
  }
  return lines;
}

const LEDGER_REF = /\bcr_[0-9A-HJKMNP-TV-Z]{22}([0-9A-HJKMNP-TV-Z]{4})\b/g;

/**
 * A line a voice channel can say: a ledger reference (a 29-character code)
 * becomes "the one ending in" its last four characters, which a caller can
 * read back; everything else is left to the reasoner's speakable shaping.
 */
export function speakableLine(line: string): string {
  return line.replace(LEDGER_REF, (_m, tail: string) => `the one ending in ${[...tail].join(" ")}`);
}

/** The follow-up a credit reply hands to `followup.schedule`. */
export function creditFollowUp(facts: readonly StoredFact[]): FollowUp {
  const credit = latestOf(facts, "credit.applied");
  const what = credit === undefined ? "the credit to your account" : `the ${formatMoney(credit.amount)} credit to your account (reference ${credit.ledgerRef})`;
  return {
    capability: FOLLOWUP_SCHEDULE,
    input: {
      purpose: FOLLOWUP_PURPOSE,
      delayMs: FOLLOWUP_DELAY_MS,
      action: {
        capability: REPLY,
        input: { about: ABOUT_FOLLOWUP, channel: "email", tell: `We are following up on ${what}: it should now show on your account. If anything is still not right, just tell us.` },
      },
      cancelIf: ["case.resolved"],
    },
  };
}

/** The name to greet the customer by: a noted preference, else the first name on the account the case is verified for (never a claimed one). */
function customerName(data: AccountData, ctx: Pick<StepContext, "case" | "customer">): string | undefined {
  const preferred = ctx.customer?.preferences["name"];
  if (preferred !== undefined && preferred.trim() !== "") return preferred.trim().slice(0, 120);
  return knownAccount(data, ctx.case.facts)?.name.split(/\s+/)[0];
}

/** What the composer peer is made of. */
export interface ComposerPeerOptions {
  /** @default DEFAULT_COMPOSER_PEER_ID (the process passes PEER_ID) */
  id?: string;
  /** @default envReasoner (rules, or Claude when ANTHROPIC_API_KEY is set) */
  reasoner?: ReasonerSource;
  /** @default loadContextHierarchy() (the shipped context) */
  context?: ContextHierarchy;
  /** Where the customer's name and product line are looked up. @default loadAccountData() */
  data?: AccountData;
}

/** Builds the composer peer. */
export function composerPeer(options: ComposerPeerOptions = {}): PeerDefinition {
  const hierarchy = options.context ?? loadContextHierarchy();
  const data = options.data ?? loadAccountData();
  const reasonerFor = reasonerResolver(options.reasoner);
  return definePeer({
    id: options.id ?? DEFAULT_COMPOSER_PEER_ID,
    version: "1.0.0",
    capacity: 32,
    capabilities: [
      capability({
        name: REPLY,
        input: ReplyInput,
        fit: 1,
        async handler(input, ctx) {
          const facts = ctx.case.facts;
          const account = knownAccount(data, facts);
          const given = accountNumbersIn(facts).some((id) => data.accounts.some((a) => a.accountId === id));
          if (input.ask === "account_number" && (given || latestOf(facts, "identity.verified") !== undefined)) {
            // The customer gave it (or was verified) between the ask being handed
            // off and now: sending the ask would be a re-ask. The message that
            // gave it has its own intent step, which verifies from it.
            ctx.log.info("the case now holds what the ask asks for; the ask is not sent");
            return {};
          }
          const channel = input.channel ?? ctx.case.state.currentChannel ?? "email";
          const line = account?.productLine;
          const context = assembleContext(hierarchy, { capability: REPLY, productLine: line !== undefined && hierarchy.products.has(line) ? line : null });
          const name = customerName(data, ctx);
          const { text } = await reasonerFor(ctx).draftReply(
            { channel, facts: channel === "voice" ? replyFacts(input, facts).map(speakableLine) : replyFacts(input, facts), context, ...(name === undefined ? {} : { customerName: name }) },
            { signal: ctx.signal },
          );
          const replyTo = factsOf(facts, "message.received").at(-1)?.id ?? null;
          const needs = input.about === ABOUT_CREDIT ? [creditFollowUp(facts)] : [];
          ctx.log.info({ channel, about: input.about ?? null, chars: text.length, followUp: needs.length > 0 }, "reply drafted");
          return { facts: [{ kind: "reply.drafted", data: { channel, text, replyTo } }], needs };
        },
      }),
    ],
  });
}

/** The composer peer's id when PEER_ID is unset. */
export const DEFAULT_COMPOSER_PEER_ID = "composer-1";

/** Runs the composer peer as this process's job (id from PEER_ID); exits 2 on a bad PEER_ID or a broken context, data or reasoner environment. */
export async function runComposerPeer(): Promise<PeerHost> {
  return runPeers(({ prepared }) => [prepared], {
    role: "composer",
    prepare: (env: NodeJS.ProcessEnv) => {
      checkReasonerEnv(env);
      return composerPeer({ id: loadPeerId(env, DEFAULT_COMPOSER_PEER_ID) });
    },
  });
}

if (isMain(import.meta.url)) await runComposerPeer();

import { type BlackboardClient, type Channel, type ContactDirectory, type CustomerMemory, type FactDraft, type FactWriter, hashAnswer, normalizeAddress, sealDigits, type SealedStore } from "../blackboard/index.ts";
import { ConflictError, NotFoundError } from "../core/index.ts";
import { caseIdFor, customerIdFor, linkKey, messageKey } from "./ids.ts";

/**
 * Turns customer messages into facts. A message lands on the customer's open
 * case whatever channel it came on; a new address makes a new customer, and a
 * customer with no open case gets a new one. The first step of every message
 * is a need for `intent`, opened by the gateway: the first handoff.
 *
 * Who an address belongs to: a registered contact of an account (the
 * contact directory) always resolves to the account's customer; any other
 * address to the customer the blackboard's address index names, or a new one.
 *
 * Secret answers: while a case waits for a one-time code
 * (`CustomerMemory.awaitingSecret`), every run of that many digits in the
 * customer's message is replaced with dots before the message is written,
 * and only its hash, bound to the challenge, is kept (sealed store) for the
 * identity peer to check. The code never reaches the log.
 *
 * Idempotency: a message is known by its channel and client message id. A
 * retry finds it through the blackboard's index and writes nothing; retries
 * that race the first attempt write the same msg ids and JetStream keeps one.
 */

/** The capability every inbound message asks for first. */
export const INTAKE_CAPABILITY = "intent";
/** Who takes an inbound message when intent cannot: a human triage desk. */
export const INTAKE_FALLBACK = "human.triage";

export interface InboundMessage {
  channel: Channel;
  address: string;
  text: string;
  attachments: { name: string; contentType: string; sizeBytes: number }[];
  clientMessageId: string;
  /** The trace the message's facts join (W3C traceparent). */
  traceparent: string;
}

export interface AcceptedMessage {
  caseId: string;
  customerId: string;
  seq: number;
  duplicate: boolean;
}

/** A customer as the gateway finds them from an address. */
export interface KnownCustomer {
  customerId: string;
  /** False for an address the blackboard has never seen. */
  known: boolean;
  memory: CustomerMemory | null;
  /** The case the next message continues, if the customer has one open. */
  openCaseId: string | undefined;
}

export interface IntakeOptions {
  writer: FactWriter;
  blackboard: BlackboardClient;
  /** The registered contacts of accounts, consulted before the address index. */
  contacts: ContactDirectory;
  /** Where a secret answer's hash is kept. */
  sealed: SealedStore;
}

export class Intake {
  readonly #writer: FactWriter;
  readonly #bb: BlackboardClient;
  readonly #contacts: ContactDirectory;
  readonly #sealed: SealedStore;
  /** The last sequence this gateway wrote: its reads wait for it (read-your-writes). */
  #lastSeq = 0;

  constructor(options: IntakeOptions) {
    this.#writer = options.writer;
    this.#bb = options.blackboard;
    this.#contacts = options.contacts;
    this.#sealed = options.sealed;
  }

  /** The highest sequence this gateway has written or read: reads with it as `minSeq` see all of it. */
  get seenSeq(): number {
    return Math.max(this.#lastSeq, this.#writer.lastSeq);
  }

  /** The customer behind an address, known or new, and their open case. */
  async findCustomer(channel: Channel, address: string): Promise<KnownCustomer> {
    const registered = await this.#contacts.lookup(channel, address);
    if (registered !== undefined) {
      const memory = (await this.#bb.getCustomer({ customerId: registered.customerId, minSeq: this.#lastSeq }).catch(notFound))?.customer ?? null;
      const wanted = normalizeAddress(channel, address);
      const known = memory?.addresses.some((a) => a.channel === channel && a.address === wanted) ?? false;
      return { customerId: registered.customerId, known, memory, openCaseId: openCase(memory) };
    }
    const found = await this.#bb.findCustomerByAddress({ channel, address, minSeq: this.#lastSeq }).catch(notFound);
    if (found === undefined) return { customerId: customerIdFor(channel, address), known: false, memory: null, openCaseId: undefined };
    return { customerId: found.customerId, known: true, memory: found.customer, openCaseId: openCase(found.customer) };
  }

  /**
   * Puts a customer message on their case. `beforeWrite` runs after every
   * read and before the first write: the caller checks its deadline there.
   */
  async accept(msg: InboundMessage, beforeWrite: () => void): Promise<AcceptedMessage> {
    const seen = await this.#bb
      .findMessageByClientId({ channel: msg.channel, clientMessageId: msg.clientMessageId, minSeq: this.#lastSeq })
      .catch(notFound);
    if (seen !== undefined) {
      await this.#ensureIntakeNeed(seen.caseId, seen.seq, seen.factId, msg, beforeWrite);
      return { caseId: seen.caseId, customerId: seen.customerId ?? "", seq: seen.seq, duplicate: true };
    }
    const customer = await this.findCustomer(msg.channel, msg.address);
    const caseId = customer.openCaseId ?? caseIdFor(customer.customerId, (customer.memory?.cases.length ?? 0) + 1);
    const key = messageKey(msg.channel, msg.clientMessageId);
    const drafts: FactDraft[] = [];
    const msgIds: string[] = [];
    if (customer.openCaseId === undefined) {
      drafts.push({
        caseId,
        kind: "case.opened",
        traceparent: msg.traceparent,
        data: { customerId: customer.customerId, channel: msg.channel, tier: "standard" },
      });
      msgIds.push(`${caseId}.opened`);
    }
    if (!customer.known) {
      drafts.push({
        caseId,
        kind: "customer.linked",
        traceparent: msg.traceparent,
        data: { customerId: customer.customerId, channel: msg.channel, address: msg.address, verified: false },
      });
      msgIds.push(linkKey(customer.customerId, msg.channel, msg.address));
    }
    const awaiting = customer.memory?.awaitingSecret;
    const secret = awaiting != null && awaiting.caseId === caseId ? sealDigits(msg.text, awaiting.digits) : undefined;
    const message = this.#writer.build({
      caseId,
      kind: "message.received",
      traceparent: msg.traceparent,
      data: {
        channel: msg.channel,
        address: msg.address,
        text: secret?.text ?? msg.text,
        clientMessageId: msg.clientMessageId,
        attachments: msg.attachments,
      },
    });
    beforeWrite();
    if (awaiting != null && secret !== undefined && secret.found.length > 0) {
      // Before the message: the identity step that reads the message always finds its answer.
      await this.#sealed.sealAnswer(message.id, { challengeId: awaiting.challengeId, hashes: secret.found.slice(0, 8).map((d) => hashAnswer(awaiting.challengeId, d)) });
    }
    const opened = await this.#writer.appendAll(drafts, { msgIds });
    const stored = await this.#writer.appendFact(message, { msgId: `msg.${key}` });
    // A new case is standard tier and its routing is known here; on an open
    // case the auctioneer reads the case brief instead.
    const routing =
      customer.openCaseId === undefined ? { tier: "standard" as const, previousHandler: customer.memory?.handlers[INTAKE_CAPABILITY] ?? null } : undefined;
    const need = await this.#writer.append(this.#intakeNeed(caseId, stored.fact.id, msg, routing), {
      msgId: `${needIdFor(caseId, key)}.opened`,
    });
    this.#saw(Math.max(need.seq, stored.seq, ...opened.map((a) => a.seq)));
    return { caseId, customerId: customer.customerId, seq: stored.seq, duplicate: stored.duplicate };
  }

  /**
   * Joins `address` on `channel` to the customer known by another address.
   * Returns false when it already belonged to them; a ConflictError when it
   * belongs to someone else.
   */
  async link(known: { channel: Channel; address: string }, channel: Channel, address: string, verified: boolean, beforeWrite: () => void) {
    const found = await this.findCustomer(known.channel, known.address);
    if (found.memory === null) throw new NotFoundError(`known_address: no customer has this ${known.channel} address`);
    const owner = { customerId: found.customerId, customer: found.memory };
    const registered = await this.#contacts.lookup(channel, address);
    if (registered !== undefined && registered.customerId !== owner.customerId) {
      throw new ConflictError(`address: this ${channel} address is a registered contact of another customer's account`);
    }
    const current = await this.#bb.findCustomerByAddress({ channel, address, minSeq: this.#lastSeq }).catch(notFound);
    if (current !== undefined && current.customerId !== owner.customerId && registered === undefined) {
      throw new ConflictError(`address: this ${channel} address already belongs to another customer`);
    }
    if (current !== undefined && (current.verified || !verified)) return { customerId: owner.customerId, linked: false };
    const cases = owner.customer?.cases ?? [];
    const caseId = openCase(owner.customer) ?? cases[cases.length - 1]?.caseId;
    if (caseId === undefined) throw new NotFoundError(`known_address: the customer has no case to record the link on`);
    beforeWrite();
    const appended = await this.#writer.append(
      { caseId, kind: "customer.linked", data: { customerId: owner.customerId, channel, address, verified } },
      { msgId: `${linkKey(owner.customerId, channel, address)}${verified ? ".verified" : ""}` },
    );
    this.#saw(appended.seq);
    return { customerId: owner.customerId, linked: true };
  }

  /** Records a sequence this gateway wrote or read, so later reads wait for it. */
  #saw(seq: number): void {
    if (seq > this.#lastSeq) this.#lastSeq = seq;
  }

  #intakeNeed(
    caseId: string,
    messageFactId: string,
    msg: InboundMessage,
    routing: { tier: "standard"; previousHandler: string | null } | undefined,
  ): FactDraft<"need.opened"> {
    const needId = needIdFor(caseId, messageKey(msg.channel, msg.clientMessageId));
    return {
      caseId,
      kind: "need.opened",
      causedBy: messageFactId,
      needId,
      traceparent: msg.traceparent,
      data: {
        needId,
        capability: INTAKE_CAPABILITY,
        input: { messageFactId, channel: msg.channel },
        requires: [],
        attempt: 1,
        fallback: INTAKE_FALLBACK,
        ...(routing === undefined ? {} : { routing }),
      },
    };
  }

  /**
   * A retried message whose first attempt stopped between the message and its
   * need (a crash) still gets its need: the need id is derived, so the case's
   * facts after the message tell whether it was written.
   */
  async #ensureIntakeNeed(caseId: string, seq: number, factId: string, msg: InboundMessage, beforeWrite: () => void): Promise<void> {
    const needId = needIdFor(caseId, messageKey(msg.channel, msg.clientMessageId));
    const tail = await this.#bb.getCase({ caseId, minSeq: seq, afterSeq: seq - 1 });
    this.#saw(tail.appliedSeq);
    if (tail.facts.some((f) => f.fact.kind === "need.opened" && f.fact.needId === needId)) return;
    beforeWrite();
    const need = await this.#writer.append(this.#intakeNeed(caseId, factId, msg, undefined), { msgId: `${needId}.opened` });
    this.#saw(need.seq);
  }
}

/** The intake need of a message on a case. */
export function needIdFor(caseId: string, key: string): string {
  return `${caseId}.in.${key}`;
}

/** The case a customer's next message continues: their latest case not resolved. */
function openCase(memory: CustomerMemory | null): string | undefined {
  const open = (memory?.cases ?? []).filter((c) => c.status !== "resolved");
  open.sort((a, b) => (a.openedAt ?? "").localeCompare(b.openedAt ?? ""));
  return open[open.length - 1]?.caseId;
}

function notFound(err: unknown): undefined {
  if (err instanceof NotFoundError) return undefined;
  throw err;
}

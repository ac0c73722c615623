import { ContractViolationError, NotFoundError, PermissionDeniedError } from "../core/index.ts";
import { requireChannel, requireDesk, type Principal } from "./credentials.ts";
import type { Channel, DeskBoard, OfferState } from "../blackboard/index.ts";
import type { CaseReadFor } from "./requests.ts";

/**
 * Who reads a case (GetTimeline, WatchCase), in one place.
 *
 * - A credential configured for operator use reads any case, in full.
 * - A desk credential names the agent it acts for (`agent_id`) and reads a
 *   case only while that agent has an offer of it that is offered or
 *   accepted, in full.
 * - A channel credential is trusted for all its customers, but each read
 *   names the customer address it acts for (`channel`, `address`), and the
 *   case must belong to that address's customer. Any other case, and a case
 *   that does not exist, is NOT_FOUND with the same message, so a read says
 *   nothing about which case ids exist. It is shown the customer's view.
 *
 * Case ids are derived from addresses, so knowing a case id must not be
 * enough to read someone's case.
 */

/** What a reader is shown: `full` (every fact with its source, the handoffs and their bids) or the `customer`'s view. */
export type CaseView = "full" | "customer";

/** The offer states in which an agent reads the offer's case. */
export const DESK_READABLE_OFFER_STATES: ReadonlySet<OfferState> = new Set<OfferState>(["offered", "accepted"]);

/** What the reading rules consult. */
export interface CaseAccessDeps {
  /** The customer behind an address (`Intake.findCustomer`). */
  findCustomer(channel: Channel, address: string): Promise<{ customerId: string }>;
  /** The desk board, opened on first use. */
  deskBoard(): Promise<DeskBoard>;
}

/** How to read the case being asked for. */
export interface CaseRead<R> {
  /** Reads the case; throws a NotFoundError when there is none. */
  read(): Promise<R>;
  /** The case's customer, from its blackboard state. */
  customerOf(value: R): string | null;
}

/**
 * Reads a case for `principal` under the reading rules above; `what` names
 * the request in errors (`GetTimelineRequest`). Throws INVALID_ARGUMENT
 * naming the missing field, PERMISSION_DENIED for a channel the credential
 * does not speak for or an agent without an open offer of the case, and
 * NOT_FOUND for a case that is not the address's customer's.
 */
export async function readCaseFor<R>(
  principal: Principal,
  req: CaseReadFor,
  what: string,
  deps: CaseAccessDeps,
  c: CaseRead<R>,
): Promise<{ view: CaseView; value: R }> {
  if (principal.operator) return { view: "full", value: await c.read() };
  if (req.agent_id !== undefined || (principal.desk && principal.channels.size === 0)) {
    await requireOpenOffer(principal, req, what, deps);
    return { view: "full", value: await c.read() };
  }
  if (req.channel === undefined) throw missing(what, "channel", "the channel of the customer address this back end acts for");
  requireChannel(principal, req.channel);
  if (req.address === undefined) throw missing(what, "address", "the customer address this back end acts for");
  const { customerId } = await deps.findCustomer(req.channel, req.address);
  // One answer for "no such case" and "not this customer's case".
  const hidden = () => new NotFoundError(`case_id: no case ${req.case_id} for this ${req.channel} address`);
  let value: R;
  try {
    value = await c.read();
  } catch (err) {
    if (err instanceof NotFoundError) throw hidden();
    throw err;
  }
  if (c.customerOf(value) !== customerId) throw hidden();
  return { view: "customer", value };
}

/** Refuses unless `agent_id`, named by a desk credential, has an offered or accepted offer of the case. */
async function requireOpenOffer(principal: Principal, req: CaseReadFor, what: string, deps: CaseAccessDeps): Promise<void> {
  requireDesk(principal);
  const agentId = req.agent_id;
  if (agentId === undefined) throw missing(what, "agent_id", "the agent this desk acts for");
  const offers = await (await deps.deskBoard()).listOffers(agentId);
  if (offers.some((o) => o.caseId === req.case_id && DESK_READABLE_OFFER_STATES.has(o.state))) return;
  throw new PermissionDeniedError(`agent_id: agent ${agentId} has no open offer of case ${req.case_id}`);
}

function missing(what: string, field: string, meaning: string): ContractViolationError {
  return new ContractViolationError(what, [{ path: field, message: `is required for this credential (${meaning})` }]);
}

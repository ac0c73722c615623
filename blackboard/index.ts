/**
 * The blackboard: fact contracts, the writer every process uses, the query
 * client, and the replica that projects the log into level.
 */
export {
  CaseId,
  CustomerId,
  FactId,
  WorkId,
  Capability,
  FactSource,
  FactEnvelope,
  Instant,
  Traceparent,
} from "./contract-envelope.ts";
export { CORE_FACT_KINDS, defineFactKinds, isFactKind, Address, Channel, Money, Bid, MAX_TEXT_CHARS, Reason } from "./contract-kinds.ts";
export type { FactKind, FactData, FactKindSpecs } from "./contract-kinds.ts";
export { FactRegistry, factRegistry, dataJsonSchema, contractLabel } from "./contract-registry.ts";
export type { KindSpec, KindContract, RegistryCheck } from "./contract-registry.ts";
export { checkFact, inspectFact, accountScopeViolation, factContract, factSchema, factJsonSchema, contractName, MAX_FACT_BYTES } from "./contracts.ts";
export { CONTRACTS_DIR, renderContractFiles, writeContractFiles } from "./export-contracts.ts";
export type { Fact, FactOf, FactCheck } from "./contracts.ts";
export {
  FactWriter,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_APPEND_TIMEOUT_MS,
  DEFAULT_ACK_TIMEOUT_MS,
} from "./writer.ts";
export type { FactDraft, AppendOptions, Appended, FactVerdict, VerdictSource, FactWriterOptions } from "./writer.ts";
export { BlackboardClient } from "./client.ts";
export { BlackboardReplica } from "./replica.ts";
export type { BlackboardReplicaOptions } from "./replica.ts";
export { ensureStreams, streamConfigs } from "./streams.ts";
export type { StreamSettings } from "./streams.ts";
export {
  FACTS_STREAM,
  EXPECT_CASE_SEQ_HEADER,
  DEADLETTER_STREAM,
  QUERY_QUEUE_GROUP,
  factSubject,
  factKindFilter,
  parseFactSubject,
  querySubject,
} from "./subjects.ts";
export { normalizeAddress } from "./projection-keys.ts";
export { QUERY_OPS, DEFAULT_MIN_SEQ_WAIT_MS, MAX_MIN_SEQ_WAIT_MS } from "./query-protocol.ts";
export type { QueryOp, QueryRequest, QueryResult } from "./query-protocol.ts";
export { CaseStatus, CaseState, ClientMessageEntry, CustomerMemory, OpenNeed, PendingTimer, DeadLetter, StoredFact } from "./projection-state.ts";
export { SealedStore, SealedOutbound, SealedAnswer, SEALED_BUCKET, SEALED_RETENTION_MS, hashAnswer, answerMatches, sealedReplyText, sealedRefOf, sealDigits } from "./sealed-store.ts";
export { ContactDirectory, RegisteredContact, CONTACTS_BUCKET, contactKey } from "./contact-directory.ts";
export {
  DeskBoard,
  DeskAgent,
  DeskOffer,
  OfferState,
  OfferStateError,
  AgentId,
  OfferId,
  DESK_AGENTS_BUCKET,
  DESK_OFFERS_BUCKET,
  DEFAULT_DESK_HEARTBEAT_MS,
} from "./desk-board.ts";
export type { NewOffer, OfferPatch, DeskBoardOptions } from "./desk-board.ts";
export { advanceSharedClock, openMeshClock, readSharedClockOffset } from "./shared-clock.ts";
export type { FollowedMeshClock } from "./shared-clock.ts";
export { MAX_DESK_CAPACITY, MAX_DESK_SKILLS, MAX_OFFER_NOTE_CHARS, deskBoardOpener, offerToken } from "./desk-board.ts";
export type { AgentChange, OfferChange, OfferWaitResult } from "./desk-board.ts";
export { DeskAgentsView } from "./desk-agents.ts";
export type { AgentRoom } from "./desk-agents.ts";
export { KindName } from "./contract-envelope.ts";
export { ContractStore, CONTRACTS_BUCKET, SharedContract, contractKey } from "./contract-store.ts";
export type { LearnKind } from "./projector.ts";

import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { test } from "node:test";
import protobuf from "protobufjs";
import { CaseStatus, MAX_TEXT_CHARS, factRegistry } from "../blackboard/index.ts";
import { CONTRACTS_DIR } from "../blackboard/export-contracts.ts";
import { CUSTOMER_FACING_KINDS } from "../gateway/case-events.ts";
import { MAX_CREDENTIAL_CHARS } from "../gateway/credentials.ts";
import { MAX_DESK_CAPACITY, MAX_DESK_SKILLS, MAX_OFFER_NOTE_CHARS } from "../blackboard/desk-board.ts";
import { MAX_DISPLAY_NAME_CHARS, MAX_RESOLUTION_CHARS } from "../gateway/desk-requests.ts";
import { generateTypes } from "../gateway/generate-types.ts";
import { PROTO_CASE_STATUSES, PROTO_EVENT_KINDS, caseStatusOf, eventKindOf } from "../gateway/proto-enums.ts";
import "../peers/cx/facts.ts";
import { GENERATED_DIR, PROTO_DIR, PROTO_FILES } from "../gateway/proto-files.ts";
import { MAX_ADDRESS_CHARS, MAX_ATTACHMENTS, MAX_CLIENT_MESSAGE_ID_CHARS } from "../gateway/requests.ts";
import { DEFAULT_MAX_METADATA_BYTES } from "../gateway/rpc.ts";
import { MAX_REQUEST_BYTES } from "../gateway/server.ts";
import { CUSTOMER_TIMELINE_FIELDS } from "../gateway/timeline.ts";
import { tempDir } from "./harness/nats.ts";

/** Every file under `dir`, as path (relative to dir) → contents. */
async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, "utf8"));
  }
  return files;
}

test("the committed gRPC types in gateway/generated match proto/ (run npm run proto:gen)", async () => {
  const fresh = await tempDir("casemesh-proto-");
  generateTypes(fresh);
  const expected = await tree(fresh);
  const committed = await tree(GENERATED_DIR);
  assert.deepEqual([...committed.keys()].sort(), [...expected.keys()].sort(), "the same files");
  for (const [path, text] of expected) assert.equal(committed.get(path), text, `${path} is stale`);
  assert.ok(expected.has("casemesh/v1/SendRequest.ts"), "a request type is generated");
});

/** proto/ as protobufjs reads it with `//` comments kept, as the type generator reads them. */
function documentedApi(): protobuf.Namespace {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync([...PROTO_FILES], { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  return root.lookup("casemesh.v1") as protobuf.Namespace;
}

/** Every element of the API, with its comment. */
function* elements(ns: protobuf.Namespace): Generator<{ what: string; comment: string | null }> {
  for (const item of ns.nestedArray) {
    if (item instanceof protobuf.Service) {
      yield { what: `service ${item.name}`, comment: item.comment };
      for (const m of item.methodsArray) yield { what: `rpc ${item.name}.${m.name}`, comment: m.comment };
    } else if (item instanceof protobuf.Type) {
      yield { what: `message ${item.name}`, comment: item.comment };
      for (const f of item.fieldsArray) yield { what: `field ${item.name}.${f.name}`, comment: f.comment };
      for (const o of item.oneofsArray) yield { what: `oneof ${item.name}.${o.name}`, comment: o.comment };
    } else if (item instanceof protobuf.Enum) {
      yield { what: `enum ${item.name}`, comment: item.comment };
      for (const v of Object.keys(item.values)) yield { what: `enum value ${item.name}.${v}`, comment: item.comments[v] ?? null };
    }
  }
}

test("every service, rpc, message, field, oneof, enum and enum value in proto/ says what it is", () => {
  const all = [...elements(documentedApi())];
  assert.ok(all.length > 150, `the whole API is walked (${all.length} elements)`);
  const bare = all.filter((e) => (e.comment ?? "").trim().length < 8).map((e) => e.what);
  assert.deepEqual(bare, [], "elements without a comment");
});

/** Enums named before the prefix rule; renaming their values would break clients. */
const UNPREFIXED_ENUMS = new Set(["Channel"]);

test("every enum starts with <NAME>_UNSPECIFIED = 0 and prefixes its values with its name", () => {
  const enums = documentedApi().nestedArray.filter((n): n is protobuf.Enum => n instanceof protobuf.Enum);
  assert.ok(enums.length >= 4);
  for (const e of enums) {
    const prefix = e.name.replace(/(?<=[a-z])(?=[A-Z])/g, "_").toUpperCase();
    assert.equal(e.valuesById[0], `${prefix}_UNSPECIFIED`, `${e.name}'s zero value`);
    if (UNPREFIXED_ENUMS.has(e.name)) continue;
    for (const name of Object.keys(e.values)) assert.ok(name.startsWith(`${prefix}_`), `${e.name}.${name} starts with ${prefix}_`);
  }
});

test("CaseEventKind names exactly the customer-facing kinds and CaseStatus the case statuses; every registered kind has its JSON Schema in proto/facts", async () => {
  const api = documentedApi();
  const kinds = api.lookupEnum("CaseEventKind");
  const named = Object.keys(kinds.values).filter((v) => v !== "CASE_EVENT_KIND_UNSPECIFIED");
  assert.deepEqual(named, [...CUSTOMER_FACING_KINDS].map((k) => PROTO_EVENT_KINDS[k as keyof typeof PROTO_EVENT_KINDS]), "one value per customer-facing kind");
  for (const kind of CUSTOMER_FACING_KINDS) {
    const value = PROTO_EVENT_KINDS[kind as keyof typeof PROTO_EVENT_KINDS];
    assert.equal(value, `CASE_EVENT_KIND_${kind.toUpperCase().replaceAll(".", "_")}`);
    assert.equal(eventKindOf(value), kind);
    assert.ok(kinds.comments[value]?.startsWith(`${kind}: `), `${value}'s comment names ${kind}`);
  }
  assert.equal(api.lookupEnum("CaseEventKind").values["CASE_EVENT_KIND_CREDIT_APPLIED"], undefined);
  const schemas = new Set(await readdir(CONTRACTS_DIR));
  for (const c of factRegistry.contracts()) assert.ok(schemas.has(`${c.kind}.v${c.v}.schema.json`), `proto/facts has ${c.kind}'s schema`);
  const statuses = api.lookupEnum("CaseStatus");
  assert.deepEqual(
    Object.keys(statuses.values).filter((v) => v !== "CASE_STATUS_UNSPECIFIED"),
    CaseStatus.options.map((s) => PROTO_CASE_STATUSES[s]),
  );
  for (const s of CaseStatus.options) assert.equal(caseStatusOf(PROTO_CASE_STATUSES[s]), s);
});

test("the limits and lists the proto's comments state are the code's", async () => {
  const api = documentedApi();
  const comment = (type: string, field: string) => api.lookupType(type).fields[field]?.comment ?? "";
  const says = (text: string, expected: string, where: string) => assert.ok(text.includes(expected), `${where} says "${expected}":\n${text}`);
  const common = await readFile(join(PROTO_DIR, "casemesh/v1/common.proto"), "utf8");
  says(common, `${MAX_REQUEST_BYTES / 1024} KiB of encoded protobuf`, "common.proto");
  says(common, `Call metadata is at most ${DEFAULT_MAX_METADATA_BYTES / 1024} KiB`, "common.proto");
  says(common, `at most\n//   ${MAX_CREDENTIAL_CHARS} characters`, "common.proto");
  says(common, `1-${MAX_CLIENT_MESSAGE_ID_CHARS} printable`, "common.proto");
  says(api.lookupEnum("Channel").comment ?? "", `at most ${MAX_ADDRESS_CHARS} characters`, "Channel");
  says(comment("SendRequest", "text"), `1-${MAX_TEXT_CHARS} characters`, "SendRequest.text");
  says(comment("SendRequest", "attachments"), `at most ${MAX_ATTACHMENTS}`, "SendRequest.attachments");
  says(comment("SendRequest", "client_message_id"), `1-${MAX_CLIENT_MESSAGE_ID_CHARS}`, "SendRequest.client_message_id");
  says(comment("Offer", "summary"), `1-${MAX_TEXT_CHARS} characters`, "Offer.summary");
  says(comment("DeskReplyRequest", "text"), `1-${MAX_TEXT_CHARS} characters`, "DeskReplyRequest.text");
  says(comment("ResolveRequest", "resolution"), `1-${MAX_RESOLUTION_CHARS} characters`, "ResolveRequest.resolution");
  says(comment("HandBackRequest", "note"), `1-${MAX_OFFER_NOTE_CHARS} characters`, "HandBackRequest.note");
  says(comment("SignInRequest", "display_name"), `at most ${MAX_DISPLAY_NAME_CHARS} characters`, "SignInRequest.display_name");
  says(comment("SignInRequest", "skills"), `1-${MAX_DESK_SKILLS}`, "SignInRequest.skills");
  says(comment("SignInRequest", "capacity"), `1-${MAX_DESK_CAPACITY}`, "SignInRequest.capacity");
  // The kinds whose data has a channel, as TimelineFact.channel lists them.
  const hasChannel = (c: { data: unknown }) => "channel" in (c.data as { shape: object }).shape;
  const coreWithChannel = factRegistry.contracts().filter((c) => c.owner === "blackboard" && hasChannel(c)).map((c) => c.kind);
  const channelComment = comment("TimelineFact", "channel").replace(/\s+/g, " ");
  const listed = channelComment.match(/\(([^)]*)\)/)?.[1]?.split(", ") ?? [];
  assert.deepEqual(listed, coreWithChannel, "TimelineFact.channel lists the core kinds whose data has a channel");
  for (const c of factRegistry.contracts().filter((c) => c.owner !== "blackboard" && hasChannel(c))) says(channelComment, c.kind, "TimelineFact.channel");
  // The customer's view, as Timeline.facts and CaseEvent name it.
  const view = comment("Timeline", "facts").replace(/\s+/g, " ");
  says(view, `only ${[...CUSTOMER_TIMELINE_FIELDS.keys()].slice(0, -1).join(", ")} and ${[...CUSTOMER_TIMELINE_FIELDS.keys()].at(-1)}`, "Timeline.facts");
  const events = (api.lookupType("CaseEvent").comment ?? "").replace(/\s+/g, " ");
  const facing = [...CUSTOMER_FACING_KINDS];
  says(events, `${facing.slice(0, -1).join(", ")} or ${facing.at(-1)}`, "CaseEvent");
});

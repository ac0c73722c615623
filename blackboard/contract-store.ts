import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { z } from "zod";
import { casPut, ConflictError, followKv, openFileBucket, readJsonEntry, UnavailableError } from "../core/index.ts";
import { Instant, KindName } from "./contract-envelope.ts";
import { contractLabel, type FactRegistry, type KindContract, sameSchema } from "./contract-registry.ts";

/**
 * The mesh's registry of fact contracts: one JetStream KV entry per kind and
 * version (`<kind>.v<version>`), holding the data's JSON Schema. Every
 * process that defines contracts in code shares them here (the blackboard its
 * core kinds, a peer host its application's); replicas and gateways follow
 * the bucket and learn a kind registered after they started. An entry is
 * written with create and never updated: a contract does not change in place.
 */

/** The registry bucket. */
export const CONTRACTS_BUCKET = "casemesh_contracts";

/** One shared contract, as stored. */
export const SharedContract = z.strictObject({
  kind: KindName,
  v: z.number().int().positive(),
  description: z.string().min(1).max(2_000),
  owner: z.string().min(1).max(128),
  accountScoped: z.boolean(),
  /** The JSON Schema (draft 2020-12) of the fact's `data`. */
  data: z.record(z.string(), z.json()),
  registeredAt: Instant,
});
export type SharedContract = z.infer<typeof SharedContract>;

/** The bucket key of a kind's version: `credit.applied.v1`. */
export function contractKey(kind: string, v: number): string {
  return `${kind}.v${v}`;
}

/** The mesh's contract registry. */
export class ContractStore {
  readonly #kv: KV;

  private constructor(kv: KV) {
    this.#kv = kv;
  }

  /** Opens (creating if needed) the registry bucket. @throws UnavailableError */
  static async open(nc: NatsConnection, options: { replicas?: number } = {}): Promise<ContractStore> {
    return new ContractStore(await openFileBucket(nc, CONTRACTS_BUCKET, options.replicas === undefined ? {} : { replicas: options.replicas }));
  }

  /**
   * Shares every contract `registry` defines in code. A contract already
   * shared with the same schema is left as it is.
   * @throws ConflictError when the mesh holds that kind's version with another schema.
   * @throws UnavailableError when NATS does not answer.
   */
  async publish(registry: FactRegistry): Promise<number> {
    let shared = 0;
    for (const c of registry.contracts()) {
      if (c.origin !== "code") continue;
      const entry: SharedContract = {
        kind: c.kind,
        v: c.v,
        description: c.description,
        owner: c.owner,
        accountScoped: c.accountScoped,
        data: c.dataJsonSchema as SharedContract["data"],
        registeredAt: new Date().toISOString(),
      };
      const created = await casPut(this.#kv, contractKey(c.kind, c.v), JSON.stringify(entry), 0, `sharing ${contractLabel(c.kind, c.v)}`);
      if (created !== undefined) {
        shared++;
        continue;
      }
      const existing = await this.read(c.kind, c.v);
      if (existing === undefined) throw new UnavailableError(`${contractLabel(c.kind, c.v)} vanished while being shared; try again`);
      // Adding it checks it: a different schema under the same version is refused.
      const probe = contractFrom(existing);
      if (probe.accountScoped !== c.accountScoped || !sameSchema(probe.dataJsonSchema, c.dataJsonSchema)) {
        throw new ConflictError(
          `${contractLabel(c.kind, c.v)} is registered in the mesh by ${existing.owner} with another contract than ${c.owner}'s; a contract never changes in place: register a new version`,
        );
      }
    }
    return shared;
  }

  /** The shared contract of `kind` at version `v`, if any. @throws UnavailableError, ContractViolationError */
  async read(kind: string, v: number): Promise<SharedContract | undefined> {
    return (await readJsonEntry(this.#kv, contractKey(kind, v), SharedContract, `the shared ${contractLabel(kind, v)}`)).value;
  }

  /**
   * Adds the shared contract of `kind` at `v` (latest is not implied: a fact
   * names its version) to `registry` if the mesh has it. True when the
   * registry holds it afterwards.
   * @throws UnavailableError when NATS does not answer (the caller tries again; never decide on a guess).
   */
  async learn(registry: FactRegistry, kind: string, v: number | undefined): Promise<boolean> {
    if (v === undefined || !KindName.safeParse(kind).success || !Number.isInteger(v) || v < 1) return false;
    if (registry.contract(kind, v) !== undefined) return true;
    let shared: SharedContract | undefined;
    try {
      shared = await this.read(kind, v);
    } catch (err) {
      if (err instanceof UnavailableError) throw err;
      return false;
    }
    if (shared === undefined) return false;
    addShared(registry, shared);
    return registry.contract(kind, v) !== undefined;
  }

  /**
   * Follows the bucket, adding each shared contract to `registry`, until
   * `signal` aborts. A shared contract that disagrees with one this process
   * defines in code is logged and not added.
   */
  follow(registry: FactRegistry, signal: AbortSignal, log: Logger): void {
    void (async () => {
      const onError = (err: unknown, when: "open" | "ended") => log.warn({ err: String(err), when }, "contract registry watch interrupted; watching again");
      for await (const entry of followKv(this.#kv, { signal, onError })) {
        if (entry.operation !== "PUT") continue;
        const parsed = SharedContract.safeParse(safeJson(entry.string()));
        if (!parsed.success) {
          log.warn({ key: entry.key }, "ignoring a malformed shared contract");
          continue;
        }
        addShared(registry, parsed.data, log);
      }
    })();
  }
}

function addShared(registry: FactRegistry, shared: SharedContract, log?: Logger): void {
  try {
    registry.add(contractFrom(shared));
  } catch (err) {
    if (log === undefined) throw err;
    log.error({ err: String(err), kind: shared.kind, v: shared.v }, "a shared contract disagrees with this process's; keeping this process's");
  }
}

function contractFrom(shared: SharedContract): Omit<KindContract, "schema"> {
  return {
    kind: shared.kind,
    v: shared.v,
    description: shared.description,
    data: z.fromJSONSchema(shared.data as Parameters<typeof z.fromJSONSchema>[0]),
    accountScoped: shared.accountScoped,
    owner: shared.owner,
    origin: "mesh",
    dataJsonSchema: shared.data,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

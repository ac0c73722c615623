import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { isJetStreamApiError, JS_API_CODES, UnavailableError } from "../core/index.ts";
import { MAX_FACT_BYTES } from "./contracts.ts";
import { DEADLETTER_STREAM, DEADLETTER_SUBJECTS, FACTS_STREAM, FACT_SUBJECTS } from "./subjects.ts";

export interface StreamSettings {
  /** JetStream's `Nats-Msg-Id` deduplication window. */
  dedupWindowMs: number;
  /** 1 on a single server; 3 on a production cluster. @default 1 */
  replicas?: number;
}

/** Picks the stream settings out of a larger options object. */
export function streamSettings(options: StreamSettings): StreamSettings {
  return options.replicas === undefined
    ? { dedupWindowMs: options.dedupWindowMs }
    : { dedupWindowMs: options.dedupWindowMs, replicas: options.replicas };
}

/** The stream configs casemesh needs, so tests and docs can show them. */
export function streamConfigs(settings: StreamSettings): (Partial<StreamConfig> & { name: string })[] {
  const common = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: settings.replicas ?? 1,
    duplicate_window: nanos(settings.dedupWindowMs),
  };
  return [
    {
      ...common,
      name: FACTS_STREAM,
      subjects: [FACT_SUBJECTS],
      max_msg_size: MAX_FACT_BYTES,
      // The log is the system of record: never drop a fact to make room.
      discard: DiscardPolicy.New,
    },
    {
      ...common,
      name: DEADLETTER_STREAM,
      subjects: [DEADLETTER_SUBJECTS],
      max_msg_size: MAX_FACT_BYTES * 4,
      discard: DiscardPolicy.Old,
      max_age: nanos(30 * 24 * 3600_000),
    },
  ];
}

/**
 * Creates the streams, or brings an existing one's settings up to date. Safe
 * to call from every process at start; the first one creates, the rest agree.
 */
export async function ensureStreams(jsm: JetStreamManager, settings: StreamSettings): Promise<void> {
  for (const config of streamConfigs(settings)) {
    const name = config.name;
    try {
      await jsm.streams.info(name);
      await jsm.streams.update(name, config);
    } catch (err) {
      if (!isJetStreamApiError(err, JS_API_CODES.StreamNotFound)) {
        throw new UnavailableError(`cannot set up stream ${name}: ${String(err)}`, { cause: err });
      }
      try {
        await jsm.streams.add(config);
      } catch (addErr) {
        // Another process created it between our info and add: fine.
        if (!isJetStreamApiError(addErr, JS_API_CODES.StreamNameExists)) {
          throw new UnavailableError(`cannot create stream ${name}: ${String(addErr)}`, { cause: addErr });
        }
      }
    }
  }
}

/**
 * How `npm start` finds its NATS server: NATS_URL, a server already running
 * on the local port, or a nats-server it starts itself.
 */
import { join } from "node:path";
import { type Config, jetStreamAnswers, NatsServerProcess } from "../core/index.ts";

/** Which NATS server casemesh uses, and how it was found. */
export type NatsChoice =
  | { origin: "env"; url: string }
  | { origin: "existing"; url: string }
  | { origin: "spawned"; url: string; server: NatsServerProcess };

/**
 * A startup problem to report to the operator. `exitCode` is the exit code to
 * use; when undefined, `npm start` exits with its generic failure code
 * (`EXIT_FAILURE` in bin/start.ts).
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode?: number,
  ) {
    super(message);
    this.name = "StartupError";
  }
}

/** True when any of the comma-separated URLs has JetStream answering. */
export async function anyJetStreamAnswers(urls: string): Promise<boolean> {
  const list = urls
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u !== "");
  const answers = await Promise.all(list.map((u) => jetStreamAnswers(u)));
  return answers.some(Boolean);
}

/**
 * Picks the NATS server: NATS_URL when set (it must answer), else a server
 * already answering on the local port, else a nats-server started here with
 * its store in `<data dir>/nats`. Throws {@link StartupError}.
 */
export async function chooseNats(config: Config, onNatsLog?: (line: string) => void): Promise<NatsChoice> {
  if (config.natsUrl !== undefined) {
    if (!(await anyJetStreamAnswers(config.natsUrl))) {
      throw new StartupError(
        `NATS_URL is ${config.natsUrl}, but no NATS server with JetStream answers there. ` +
          "Start that server (with -js), fix NATS_URL, or unset NATS_URL to let casemesh start one.",
      );
    }
    return { origin: "env", url: config.natsUrl };
  }
  const localUrl = `nats://127.0.0.1:${config.localNatsPort}`;
  if (config.localNatsPort !== 0 && (await jetStreamAnswers(localUrl))) {
    return { origin: "existing", url: localUrl };
  }
  try {
    const server = await NatsServerProcess.start({
      storeDir: join(config.dataDir, "nats"),
      port: config.localNatsPort,
      ...(onNatsLog === undefined ? {} : { onLog: onNatsLog }),
    });
    return { origin: "spawned", url: server.url, server };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StartupError(
      `could not start a local nats-server on port ${config.localNatsPort} (CASEMESH_LOCAL_NATS_PORT): ${reason}`,
    );
  }
}

/** Describes where NATS came from, for the summary. */
export function describeNats(choice: NatsChoice): string {
  switch (choice.origin) {
    case "env":
      return `NATS ${choice.url} (using NATS_URL)`;
    case "existing":
      return `NATS ${choice.url} (using the server already running at ${choice.url})`;
    case "spawned":
      return `NATS ${choice.url} (started a local nats-server, store ${choice.server.storeDir})`;
  }
}

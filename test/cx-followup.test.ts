import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Registry } from "prom-client";
import { BlackboardClient } from "../blackboard/client.ts";
import type { StoredFact } from "../blackboard/projection-state.ts";
import { FACTS_STREAM } from "../blackboard/subjects.ts";
import { FactWriter } from "../blackboard/writer.ts";
import { ManualMeshClock, type MeshClock } from "../core/clock.ts";
import { createLogger } from "../observability/logger.ts";
import { createRegistry } from "../observability/metrics-server.ts";
import { FOLLOWUP_SCHEDULE, followupPeer, scheduleTimerId } from "../peers/cx/followup.ts";
import { TimerLoop, fireNeedId, type TimerLoopOptions } from "../peers/cx/followup-timers.ts";
import { TEST_SOURCE } from "./harness/facts.ts";
import { assertPromtoolClean, sample } from "./harness/metrics.ts";
import { TEST_HEARTBEAT_MS, TEST_LEASE_MS, startHost, startMesh, testPeer } from "./harness/mesh.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { spawnTs, type TestProcess } from "./harness/processes.ts";
import { startReplica } from "./harness/replica.ts";
import { caseFactsWhen, needFacts } from "./harness/wait.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A timer loop in this process on `clock`, ticking every 50 ms unless told; stopped after the suite. */
async function timerLoop(
  nc: NatsConnection,
  clock: MeshClock,
  options: Partial<Omit<TimerLoopOptions, "nc" | "clock">> = {},
): Promise<{ loop: TimerLoop; registry: Registry }> {
  const registry = options.registry ?? createRegistry();
  const loop = await TimerLoop.create({
    nc,
    clock,
    registry,
    logger: createLogger({ role: "followup", level: "silent" }),
    peerId: "followup-test",
    dedupWindowMs: 120_000,
    tickMs: 50,
    ...options,
  });
  after(() => loop.stop());
  return { loop, registry };
}

/** Sets a timer on a (new) case straight from the test; resolves with its `timer.set` sequence. */
async function setTimer(
  writer: FactWriter,
  caseId: string,
  timerId: string,
  dueAtMs: number,
  extra: { cancelIf?: string[]; capability?: string } = {},
): Promise<number> {
  await writer.append({ caseId, kind: "case.opened", data: { customerId: `cust-${caseId}`, channel: "email", tier: "standard" } }, { msgId: `${caseId}.opened` });
  const set = await writer.append(
    {
      caseId,
      kind: "timer.set",
      data: {
        timerId,
        dueAt: new Date(dueAtMs).toISOString(),
        purpose: "email the customer if the case is not confirmed resolved",
        action: { capability: extra.capability ?? "notify.email", input: { template: "still-there" } },
        cancelIf: extra.cancelIf ?? ["case.resolved"],
      },
    },
    { msgId: `${timerId}.set` },
  );
  return set.seq;
}

/** The facts stream's last sequence: a read at it sees every fact written so far, by anyone. */
async function headSeq(nc: NatsConnection): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(FACTS_STREAM)).state.last_seq;
}

const kindOf = (facts: StoredFact[], kind: string) => facts.filter((f) => f.fact.kind === kind);
const firedOf = (facts: StoredFact[], timerId: string) =>
  kindOf(facts, "timer.fired").filter((f) => (f.fact.data as { timerId: string }).timerId === timerId);
const needId = (f: StoredFact | undefined) => (f?.fact.data as { needId?: string | null } | undefined)?.needId;

describe("follow-up peer in this process (manual clock)", async () => {
  const { nc, client, writer } = await startMesh({ name: "followup" });
  // The follow-up peer (its schedule step reads `clock`) and a mailer serving the timers' action.
  const clock = new ManualMeshClock(Date.now());
  const registry = createRegistry();
  const mailed: string[] = [];
  await startHost(nc, [
    followupPeer({ id: "followup-a", clock }),
    testPeer("mailer", "notify.email", async (input, ctx) => {
      mailed.push(ctx.need.needId);
      return { facts: [{ kind: "reply.drafted", data: { channel: "email", text: `template ${String(input["template"])}`, replyTo: null } }] };
    }),
  ], { registry });

  test("followup.schedule sets a timer 24 h ahead; it fires once when the clock passes it, proven by one timer.fired and one need.opened", async (t) => {
    const { loop } = await timerLoop(nc, clock, { registry, peerId: "followup-a" });
    loop.start();

    await writer.append({ caseId: "fu-24h", kind: "case.opened", data: { customerId: "cust-fu-24h", channel: "email", tier: "standard" } });
    await writer.append(
      {
        caseId: "fu-24h",
        kind: "need.opened",
        data: {
          needId: "fu-24h-s",
          capability: FOLLOWUP_SCHEDULE,
          input: {
            purpose: "email the customer in 24 hours if the case is not confirmed resolved",
            delayMs: DAY_MS,
            action: { capability: "notify.email", input: { template: "still-there" } },
            cancelIf: ["case.resolved"],
          },
          requires: [],
          attempt: 1,
          fallback: null,
        },
      },
      { msgId: "fu-24h-s.opened" },
    );
    const timerId = scheduleTimerId("fu-24h-s");
    const withTimer = await caseFactsWhen(client, "fu-24h", (fs) => kindOf(fs, "timer.set").length === 1 && needFacts(fs, "need.done", "fu-24h-s").length === 1);
    const set = kindOf(withTimer, "timer.set")[0];
    const data = set?.fact.data as { timerId: string; dueAt: string };
    assert.equal(data.timerId, timerId);
    assert.equal(Date.parse(data.dueAt), clock.now() + DAY_MS, "due 24 h after the step ran, by the follow-up clock");

    // A minute short of a day: due nowhere yet, however often the loop looks.
    clock.advance(DAY_MS - 60_000);
    const early = await loop.tick();
    assert.equal(early.due, 0);
    await loop.tick();
    assert.equal(firedOf((await client.getCase({ caseId: "fu-24h", minSeq: await headSeq(nc) })).facts, timerId).length, 0);

    clock.advance(2 * 60_000);
    const firedAt = Date.now();
    const facts = await caseFactsWhen(client, "fu-24h", (fs) => firedOf(fs, timerId).length === 1);
    t.diagnostic(`fired ${Date.now() - firedAt} ms after the clock passed the due time (tick 50 ms)`);
    const expectedNeed = fireNeedId(timerId, set?.seq ?? 0);
    assert.equal(needId(firedOf(facts, timerId)[0]), expectedNeed);
    assert.equal(needFacts(facts, "need.opened", expectedNeed).length, 1);
    const opened = needFacts(facts, "need.opened", expectedNeed)[0]?.fact;
    assert.deepEqual((opened?.data as { capability: string; input: unknown }).capability, "notify.email");
    assert.deepEqual((opened?.data as { input: unknown }).input, { template: "still-there" });
    assert.equal(opened?.causedBy, set?.fact.id, "the need is caused by the timer.set fact");

    // The action is served through the mesh like any other need.
    const done = await caseFactsWhen(client, "fu-24h", (fs) => needFacts(fs, "need.done", expectedNeed).length === 1);
    assert.deepEqual(mailed, [expectedNeed]);
    assert.equal(kindOf(done, "reply.drafted").length, 1);

    // Later ticks, a day later still, find nothing more to fire.
    clock.advance(DAY_MS);
    await loop.tick();
    await loop.tick();
    const final = await client.getCase({ caseId: "fu-24h", minSeq: await headSeq(nc) });
    assert.equal(firedOf(final.facts, timerId).length, 1);
    assert.equal(kindOf(final.facts, "need.opened").filter((f) => needId(f) === expectedNeed).length, 1);
    assert.deepEqual((await client.listDueTimers({ before: new Date(clock.now()).toISOString() })).timers, []);

    const body = await registry.metrics();
    assert.equal(sample(body, "casemesh_timers_fired_total", { outcome: "fired" }), 1);
    assert.equal(sample(body, "casemesh_timers_fired_total", { outcome: "cancelled" }), 0);
    assert.match(body, /^casemesh_timers_overdue 0$/m);
    assertPromtoolClean(body);
    await loop.stop();
  });

  test("a schedule that gives both delayMs and dueAt fails at once with a reason naming the field, and sets no timer", async () => {
    await writer.append({ caseId: "fu-bad", kind: "case.opened", data: { customerId: "cust-fu-bad", channel: "chat", tier: "standard" } });
    await writer.append({
      caseId: "fu-bad",
      kind: "need.opened",
      data: {
        needId: "fu-bad-s",
        capability: FOLLOWUP_SCHEDULE,
        input: { purpose: "p", delayMs: 1_000, dueAt: new Date().toISOString(), action: { capability: "notify.email", input: {} } },
        requires: [],
        attempt: 1,
        fallback: null,
      },
    });
    const facts = await caseFactsWhen(client, "fu-bad", (fs) => needFacts(fs, "need.failed", "fu-bad-s").length === 1, 5_000).catch(async (e: unknown) => { console.log(JSON.stringify((await client.getCase({ caseId: "fu-bad" })).facts.map((f) => [f.fact.kind, f.fact.data]))); throw e; });
    const reason = (needFacts(facts, "need.failed", "fu-bad-s")[0]?.fact.data as { reason: string }).reason;
    assert.match(reason, /delayMs: give exactly one of delayMs and dueAt/);
    assert.equal(kindOf(facts, "timer.set").length, 0);
  });

  test("a timer whose case got case.resolved fires as cancelled (needId null) and opens nothing", async () => {
    const clock = new ManualMeshClock(Date.now());
    const { loop, registry } = await timerLoop(nc, clock);
    loop.start();
    await setTimer(writer, "fu-cancel", "fu-cancel-t", clock.now() + DAY_MS);
    // A control timer on another case, not cancelled: the same loop fires it in the same tick.
    await setTimer(writer, "fu-keep", "fu-keep-t", clock.now() + DAY_MS);
    await writer.append({ caseId: "fu-cancel", kind: "case.resolved", data: { resolution: "customer confirmed", by: "agent-7" } });

    clock.advance(DAY_MS + 1);
    const facts = await caseFactsWhen(client, "fu-cancel", (fs) => firedOf(fs, "fu-cancel-t").length === 1);
    assert.equal(needId(firedOf(facts, "fu-cancel-t")[0]), null);
    assert.equal(kindOf(facts, "need.opened").length, 0, "a cancelled timer opens nothing");
    const kept = await caseFactsWhen(client, "fu-keep", (fs) => firedOf(fs, "fu-keep-t").length === 1);
    assert.equal(kindOf(kept, "need.opened").length, 1);

    await loop.tick();
    const again = await client.getCase({ caseId: "fu-cancel", minSeq: await headSeq(nc) });
    assert.equal(firedOf(again.facts, "fu-cancel-t").length, 1);
    const body = await registry.metrics();
    assert.equal(sample(body, "casemesh_timers_fired_total", { outcome: "cancelled" }), 1);
    assert.equal(sample(body, "casemesh_timers_fired_total", { outcome: "fired" }), 1);
    await loop.stop();
  });

  test("two follow-up peers ticking at the same moment fire each due timer once", async (t) => {
    const clock = new ManualMeshClock(Date.now());
    const a = await timerLoop(nc, clock, { peerId: "followup-x" });
    const b = await timerLoop(nc, clock, { peerId: "followup-y" });
    const cases = Array.from({ length: 20 }, (_, i) => `fu-race-${i}`);
    for (const c of cases) await setTimer(writer, c, `${c}-t`, clock.now() + HOUR_MS);
    clock.advance(HOUR_MS);
    const [ra, rb] = await Promise.all([a.loop.tick(), b.loop.tick()]);
    t.diagnostic(`x: ${JSON.stringify(ra)}; y: ${JSON.stringify(rb)}`);
    assert.equal(ra.failed + rb.failed, 0);
    assert.equal(ra.fired + rb.fired, cases.length, "each timer.fired is stored by exactly one of the two");
    assert.ok(ra.due > 0 && rb.due > 0, "both peers saw the due timers: they raced");
    const head = await headSeq(nc);
    for (const c of cases) {
      const { facts } = await client.getCase({ caseId: c, minSeq: head });
      assert.equal(firedOf(facts, `${c}-t`).length, 1, c);
      assert.equal(kindOf(facts, "need.opened").length, 1, c);
      assert.equal(needId(kindOf(facts, "need.opened")[0]), needId(firedOf(facts, `${c}-t`)[0]));
    }
    const total = async (r: Registry) => sample(await r.metrics(), "casemesh_timers_fired_total", { outcome: "fired" }) ?? 0;
    assert.equal((await total(a.registry)) + (await total(b.registry)), cases.length);
    const [again1, again2] = await Promise.all([a.loop.tick(), b.loop.tick()]);
    assert.equal(again1.due + again2.due, 0);
  });
});

describe("follow-up crash window, past the dedup window", async () => {
  // Its own server whose streams deduplicate for one second only.
  const server = await startNats();
  const nc = await connectTo(server, "followup-window");
  await startReplica(nc);
  const client = new BlackboardClient(nc);
  const writer = await FactWriter.create({ nc, source: TEST_SOURCE, dedupWindowMs: 1_000 });

  test("a peer that dies between the need and timer.fired is re-fired into the same need, even after the dedup window", async () => {
    const clock = new ManualMeshClock(Date.now());
    const dying = await timerLoop(nc, clock, {
      dedupWindowMs: 1_000,
      beforeFired: () => {
        throw new Error("died before timer.fired");
      },
    });
    const setSeq = await setTimer(writer, "fu-window", "fu-window-t", clock.now() + DAY_MS);
    clock.advance(DAY_MS);
    const first = await dying.loop.tick();
    assert.deepEqual({ due: first.due, failed: first.failed }, { due: 1, failed: 1 });
    assert.match(await dying.registry.metrics(), /^casemesh_timers_overdue 1$/m, "the timer it could not fire is counted as overdue");
    const half = await client.getCase({ caseId: "fu-window", minSeq: await headSeq(nc) });
    assert.equal(kindOf(half.facts, "need.opened").length, 1, "the need was written");
    assert.equal(firedOf(half.facts, "fu-window-t").length, 0, "timer.fired was not");

    // Let the dedup window pass, and show it did: the same msg id is stored again.
    const note = { caseId: "fu-control", kind: "preference.noted", data: { customerId: "c", key: "lang", value: "en" } } as const;
    const control = await writer.append(note, { msgId: "control" });
    await new Promise((r) => setTimeout(r, 1_300));
    const control2 = await writer.append(note, { msgId: "control" });
    assert.equal(control.duplicate, false);
    assert.equal(control2.duplicate, false, "the stream's dedup window is over");

    const healthy = await timerLoop(nc, clock, { dedupWindowMs: 1_000 });
    const second = await healthy.loop.tick();
    assert.equal(second.fired, 1);
    const { facts } = await client.getCase({ caseId: "fu-window", minSeq: await headSeq(nc) });
    assert.equal(kindOf(facts, "need.opened").length, 1, "no second need");
    assert.equal(needId(firedOf(facts, "fu-window-t")[0]), fireNeedId("fu-window-t", setSeq));
  });
});

describe("follow-up peer as a process (kill -9)", async () => {
  const { server, nc, client, writer } = await startMesh({ name: "followup-proc" });

  const baseEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...process.env,
    NATS_URL: server.url,
    CASEMESH_LEASE_MS: String(TEST_LEASE_MS),
    CASEMESH_HEARTBEAT_MS: String(TEST_HEARTBEAT_MS),
    CASEMESH_PEER_METRICS_PORT: "0",
    CASEMESH_FOLLOWUP_TICK_MS: "100",
    LOG_LEVEL: "info",
    ...extra,
  });

  /** Starts peers/cx/followup-process.ts and waits until it serves. */
  async function followupProcess(hostId: string, offsetMs: number): Promise<TestProcess> {
    const proc = spawnTs("peers/cx/followup-process.ts", baseEnv({ CASEMESH_HOST_ID: hostId, CASEMESH_CLOCK_OFFSET_MS: String(offsetMs) }));
    await proc.waitForLog((l) => l["msg"] === "followup ready", 30_000);
    return proc;
  }

  const firedLines = (proc: TestProcess, timerId: string) =>
    proc.lines.filter((l) => l.includes('"msg":"timer fired"') && l.includes(`"timerId":"${timerId}"`)).length;

  test("kill -9 the follow-up peer before its timer is due: after the restart it fires once, and a second restart fires nothing", async (t) => {
    const first = await followupProcess("fu-proc-1", 0);
    const scheduleInput = {
      purpose: "email the customer in 24 hours if the case is not confirmed resolved",
      delayMs: DAY_MS,
      action: { capability: "notify.email", input: { template: "still-there" } },
      cancelIf: ["case.resolved"],
    };
    await writer.append({ caseId: "fu-p", kind: "case.opened", data: { customerId: "cust-fu-p", channel: "email", tier: "standard" } });
    await writer.append(
      { caseId: "fu-p", kind: "need.opened", data: { needId: "fu-p-s", capability: FOLLOWUP_SCHEDULE, input: scheduleInput, requires: [], attempt: 1, fallback: null } },
      { msgId: "fu-p-s.opened" },
    );
    const timerId = scheduleTimerId("fu-p-s");
    const withTimer = await caseFactsWhen(client, "fu-p", (fs) => kindOf(fs, "timer.set").length === 1);
    const set = kindOf(withTimer, "timer.set")[0];
    const dueAt = Date.parse((set?.fact.data as { dueAt: string }).dueAt);
    assert.ok(dueAt - Date.now() > DAY_MS - 60_000, "due a day from now");
    // Let the first process tick a few times on a timer that is not due.
    await new Promise((r) => setTimeout(r, 400));
    first.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");
    assert.equal(firedLines(first, timerId), 0);

    // The replacement runs "a day and a minute later".
    const startedAt = Date.now();
    const second = await followupProcess("fu-proc-2", DAY_MS + 60_000);
    const expectedNeed = fireNeedId(timerId, set?.seq ?? 0);
    const facts = await caseFactsWhen(client, "fu-p", (fs) => firedOf(fs, timerId).length === 1);
    t.diagnostic(`restarted process fired the timer ${Date.now() - startedAt} ms after it was spawned`);
    assert.equal(needId(firedOf(facts, timerId)[0]), expectedNeed);
    assert.equal(needFacts(facts, "need.opened", expectedNeed).length, 1);
    assert.equal((needFacts(facts, "need.opened", expectedNeed)[0]?.fact.data as { capability: string }).capability, "notify.email");
    await second.waitForLog((l) => l["msg"] === "timer fired" && l["timerId"] === timerId, 5_000);
    second.kill("SIGKILL");
    assert.equal(await second.exited, "SIGKILL");

    // A third process, two days on. A marker timer due by then proves it has ticked past the first one.
    await setTimer(writer, "fu-p-marker", "fu-p-marker-t", Date.now() + DAY_MS);
    const third = await followupProcess("fu-proc-3", 2 * DAY_MS);
    await caseFactsWhen(client, "fu-p-marker", (fs) => firedOf(fs, "fu-p-marker-t").length === 1);
    await new Promise((r) => setTimeout(r, 300));
    const final = await client.getCase({ caseId: "fu-p", minSeq: await headSeq(nc) });
    assert.equal(firedOf(final.facts, timerId).length, 1, "fired once across three processes");
    assert.equal(kindOf(final.facts, "need.opened").filter((f) => needId(f) === expectedNeed).length, 1);
    assert.equal(firedLines(third, timerId), 0);
    third.kill("SIGTERM");
    assert.equal(await third.exited, 0);
  });

  test("a follow-up process with a malformed CASEMESH_CLOCK_OFFSET_MS exits 2 naming the variable", async () => {
    const proc = spawnTs("peers/cx/followup-process.ts", baseEnv({ CASEMESH_HOST_ID: "fu-bad-env", CASEMESH_CLOCK_OFFSET_MS: "24h" }));
    assert.equal(await proc.exited, 2);
    assert.ok(proc.lines.some((l) => l.includes("CASEMESH_CLOCK_OFFSET_MS must be a whole number")), proc.lines.join("\n"));
  });

  test("kill -9 inside the crash window (need written, timer.fired not): the restarted peer records the firing into the same need", async () => {
    await setTimer(writer, "fu-crash", "fu-crash-t", Date.now() + HOUR_MS);
    const crash = spawnTs("test/fixtures/followup-crash.ts", baseEnv({ CASEMESH_CLOCK_OFFSET_MS: String(2 * HOUR_MS) }));
    const dying = await crash.waitForLog((l) => l["msg"] === "dying before timer.fired" && l["timerId"] === "fu-crash-t", 30_000);
    assert.equal(await crash.exited, "SIGKILL");
    const half = await caseFactsWhen(client, "fu-crash", (fs) => kindOf(fs, "need.opened").length === 1);
    assert.equal(firedOf(half, "fu-crash-t").length, 0);

    const again = await followupProcess("fu-proc-4", 2 * HOUR_MS);
    const facts = await caseFactsWhen(client, "fu-crash", (fs) => firedOf(fs, "fu-crash-t").length === 1);
    assert.equal(needId(firedOf(facts, "fu-crash-t")[0]), dying["needId"]);
    assert.equal(kindOf(facts, "need.opened").length, 1, "the need is opened once");
    again.kill("SIGTERM");
    assert.equal(await again.exited, 0);
  });
});


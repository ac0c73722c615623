import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { createLogger } from "../observability/logger.ts";
import { capability, definePeer } from "../peers/define-peer.ts";
import { PeerHost } from "../peers/host.ts";
import { PRESENCE_TTL_HEARTBEATS } from "../peers/presence.ts";
import { createRegistry } from "../observability/metrics-server.ts";
import type { BidParts } from "../peers/protocol.ts";
import { tieBreak } from "../peers/utility.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { TEST_HEARTBEAT_MS, openNeed, startHost, startMesh, testPeer, watchDirectory } from "./harness/mesh.ts";
import { caseFactsWhen, eventually, needFacts } from "./harness/wait.ts";

type ClaimedData = { peer: string; attempt: number; bids: { peer: string; utility: number; parts: BidParts }[] };

describe("the peer runtime", async () => {
  const { server, nc, client, writer } = await startMesh({ name: "test" });

  test("1,000 needs with 50 capable peers: every need is claimed exactly once and done exactly once", async (t) => {
    const runs = new Map<string, number>();
    // Five processes' worth of hosts, each with its own connection and ten peers.
    for (let h = 0; h < 5; h++) {
      const hostNc = await connectTo(server, `host-${h}`);
      const peers = Array.from({ length: 10 }, (_, i) =>
        testPeer(`bulk-${h}-${i}`, "bulk", async (_input, ctx) => {
          runs.set(ctx.need.needId, (runs.get(ctx.need.needId) ?? 0) + 1);
          return {};
        }, { capacity: 50 }),
      );
      await startHost(hostNc, peers, { hostId: `bulk-host-${h}` });
    }
    const CASES = 100;
    const PER_CASE = 10;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CASES }, async (_, c) => {
        for (let n = 0; n < PER_CASE; n++) await openNeed(writer, `bulk-${c}`, `bulk-${c}-${n}`, "bulk");
      }),
    );
    for (let c = 0; c < CASES; c++) {
      const facts = await caseFactsWhen(client, `bulk-${c}`, (fs) => fs.filter((f) => f.fact.kind === "need.done").length >= PER_CASE, 120_000);
      for (let n = 0; n < PER_CASE; n++) {
        const needId = `bulk-${c}-${n}`;
        assert.equal(needFacts(facts, "need.claimed", needId).length, 1, `${needId} claimed once`);
        assert.equal(needFacts(facts, "need.done", needId).length, 1, `${needId} done once`);
        assert.equal(runs.get(needId), 1, `${needId} ran once`);
      }
    }
    t.diagnostic(`1,000 needs across 50 peers settled in ${Date.now() - started} ms`);
    assert.equal(runs.size, CASES * PER_CASE);
  });

  test("the award lists every bid; the winner has the highest utility; ties are broken the same way by every auctioneer", async () => {
    await startHost(nc, [
      testPeer("fit-b", "rank", async () => ({}), { fit: 0.5 }),
      testPeer("fit-a", "rank", async () => ({}), { fit: 0.5 }),
      testPeer("fit-c", "rank", async () => ({}), { fit: 0.6, cost: 1 }),
      testPeer("fit-d", "rank", async () => ({}), { fit: 0.2 }),
    ]);
    await openNeed(writer, "rank-1", "rank-1-n", "rank");
    const facts = await caseFactsWhen(client, "rank-1", (fs) => needFacts(fs, "need.done", "rank-1-n").length === 1);
    const award = needFacts(facts, "need.claimed", "rank-1-n")[0]?.fact.data as ClaimedData;
    assert.deepEqual(award.bids.map((b) => b.peer).sort(), ["fit-a", "fit-b", "fit-c", "fit-d"]);
    const best = Math.max(...award.bids.map((b) => b.utility));
    assert.equal(award.bids.find((b) => b.peer === award.peer)?.utility, best);
    // fit-c's extra skill is outweighed by its cost (0.6 - 0.25 < 0.5), so a and b tie at the top,
    // and the tie goes to the lower hash of need and peer: the same on every auctioneer.
    const [first, second] = ["fit-a", "fit-b"].sort((x, y) => tieBreak("rank-1-n", x) - tieBreak("rank-1-n", y));
    assert.equal(award.peer, first);
    assert.deepEqual(award.bids.map((b) => b.peer), [first, second, "fit-c", "fit-d"]);
  });

  test("a burst of needs spreads over equal idle peers instead of piling onto one", async () => {
    const winners = new Map<string, number>();
    await startHost(
      nc,
      ["sp-1", "sp-2", "sp-3", "sp-4", "sp-5"].map((id) =>
        testPeer(id, "spread", async () => {
          winners.set(id, (winners.get(id) ?? 0) + 1);
          return {};
        }, { capacity: 40 }),
      ),
    );
    await Promise.all(Array.from({ length: 100 }, (_, i) => openNeed(writer, `spread-${i}`, `spread-${i}-n`, "spread")));
    for (let i = 0; i < 100; i++) {
      const facts = await caseFactsWhen(client, `spread-${i}`, (fs) => needFacts(fs, "need.done", `spread-${i}-n`).length === 1);
      const claims = needFacts(facts, "need.claimed", `spread-${i}-n`);
      assert.deepEqual(claims.map((c) => (c.fact.data as ClaimedData).attempt), [1], `spread-${i}-n was awarded once, first time`);
    }
    assert.equal([...winners.values()].reduce((a, b) => a + b, 0), 100);
    assert.ok(winners.size === 5 && Math.max(...winners.values()) <= 40, `work spread: ${JSON.stringify(Object.fromEntries(winners))}`);
  });

  test("continuity: the peer that served this customer before wins an otherwise equal auction", async () => {
    await startHost(nc, [testPeer("cont-a", "cont", async () => ({})), testPeer("cont-b", "cont", async () => ({}))]);
    await openNeed(writer, "cont-1", "cont-1-n1", "cont");
    const first = await caseFactsWhen(client, "cont-1", (fs) => needFacts(fs, "need.done", "cont-1-n1").length === 1);
    assert.equal((needFacts(first, "need.claimed", "cont-1-n1")[0]?.fact.data as ClaimedData).peer, "cont-a");
    // Make cont-b the previous handler by hand, as if it had served the customer last time.
    await writer.append({ caseId: "cont-1", kind: "need.claimed", data: { needId: "cont-1-old", capability: "cont", attempt: 1, peer: "cont-b", leaseMs: 1000, bids: [] } });
    await writer.append({ caseId: "cont-1", kind: "need.opened", data: { needId: "cont-1-n2", capability: "cont", input: {}, requires: [], attempt: 1, fallback: null } });
    const second = await caseFactsWhen(client, "cont-1", (fs) => needFacts(fs, "need.done", "cont-1-n2").length === 1);
    const award = needFacts(second, "need.claimed", "cont-1-n2")[0]?.fact.data as ClaimedData;
    assert.equal(award.peer, "cont-b");
    assert.equal(award.bids.find((b) => b.peer === "cont-b")?.parts.continuity, 1);
  });

  test("a need opened while no capable peer is alive is counted as unserved, then done once a capable peer starts", async () => {
    const registry = createRegistry();
    await startHost(nc, [testPeer("bystander", "other", async () => ({}))], { registry, hostId: "bystander-host" });
    const needSeq = await openNeed(writer, "late-1", "late-1-n", "late.capability");
    await eventually("the need to be counted as unserved", async () =>
      /casemesh_needs_unserved\{capability="late.capability"\} 1/.test(await registry.metrics()) ? true : undefined,
    );
    const before = await client.getCase({ caseId: "late-1", minSeq: needSeq });
    assert.equal(needFacts(before.facts, "need.claimed", "late-1-n").length, 0);
    await startHost(nc, [testPeer("latecomer", "late.capability", async () => ({}))]);
    const facts = await caseFactsWhen(client, "late-1", (fs) => needFacts(fs, "need.done", "late-1-n").length === 1);
    assert.equal((needFacts(facts, "need.done", "late-1-n")[0]?.fact.data as { peer: string }).peer, "latecomer");
    await eventually("the unserved gauge to go back to 0", async () =>
      /casemesh_needs_unserved\{capability="late.capability"\} 0/.test(await registry.metrics()) ? true : undefined,
    );
  });

  test("a handler that always throws ends, after the retry limit, in need.failed and the fallback need", async () => {
    const registry = createRegistry();
    let runs = 0;
    await startHost(
      nc,
      [
        testPeer("broken", "fragile", async () => {
          runs++;
          throw new Error("ledger unavailable");
        }, { maxRuns: 3, fallback: "human.review" }),
        testPeer("human", "human.review", async (input) => ({ facts: [{ kind: "case.resolved", data: { resolution: `reviewed ${String(input["failedCapability"])}`, by: "human" } }] })),
      ],
      { registry },
    );
    await openNeed(writer, "fail-1", "fail-1-n", "fragile");
    const facts = await caseFactsWhen(client, "fail-1", (fs) => fs.some((f) => f.fact.kind === "case.resolved"));
    assert.equal(runs, 3);
    const failed = needFacts(facts, "need.failed", "fail-1-n");
    assert.equal(failed.length, 1);
    const data = failed[0]?.fact.data as { reason: string; fallbackNeedId: string };
    assert.match(data.reason, /ledger unavailable/);
    assert.equal(needFacts(facts, "need.done", "fail-1-n").length, 0);
    const fallback = needFacts(facts, "need.opened", data.fallbackNeedId);
    assert.equal((fallback[0]?.fact.data as { capability: string }).capability, "human.review");
    assert.equal(needFacts(facts, "need.done", data.fallbackNeedId).length, 1);
    assert.match(await registry.metrics(), /casemesh_step_retries_total\{capability="fragile"\} 2/);
  });

  test("a need input that breaks the capability's contract fails at once, without retries", async () => {
    let runs = 0;
    await startHost(nc, [
      definePeer({
        id: "strict",
        version: "1",
        capabilities: [capability({ name: "strict.input", input: z.strictObject({ amount: z.number() }), handler: async () => { runs++; return {}; } })],
      }),
    ]);
    await openNeed(writer, "strict-1", "strict-1-n", "strict.input", { input: { amount: "lots" } });
    const facts = await caseFactsWhen(client, "strict-1", (fs) => needFacts(fs, "need.failed", "strict-1-n").length === 1);
    assert.match((needFacts(facts, "need.failed", "strict-1-n")[0]?.fact.data as { reason: string }).reason, /at amount/);
    assert.equal(runs, 0);
  });

  test("a second process under a peer id that is already live is refused, naming the id", async () => {
    await startHost(nc, [testPeer("only-one", "solo", async () => ({}))], { hostId: "first-home" });
    await assert.rejects(
      PeerHost.start({
        nc,
        peers: [testPeer("only-one", "solo", async () => ({}))],
        hostId: "second-home",
        registry: createRegistry(),
        logger: createLogger({ role: "test", level: "silent" }),
        dedupWindowMs: 120_000,
      }),
      /peer id only-one is already live on host first-home/,
    );
  });

  test("a need with requires waits for those facts without blocking other needs", async () => {
    await startHost(nc, [testPeer("joiner", "join.step", async () => ({})), testPeer("free", "free.step", async () => ({}))]);
    await openNeed(writer, "join-1", "join-1-blocked", "join.step", { requires: ["identity.verified"] });
    await openNeed(writer, "join-1", "join-1-free", "free.step");
    await caseFactsWhen(client, "join-1", (fs) => needFacts(fs, "need.done", "join-1-free").length === 1);
    const waiting = await client.getCase({ caseId: "join-1" });
    assert.equal(needFacts(waiting.facts, "need.claimed", "join-1-blocked").length, 0, "not auctioned before identity is verified");
    await writer.append({ caseId: "join-1", kind: "identity.verified", data: { customerId: "cust-join-1", method: "otp", accountId: null } });
    await caseFactsWhen(client, "join-1", (fs) => needFacts(fs, "need.done", "join-1-blocked").length === 1);
  });
});

describe("utility weights", async () => {
  // Any process may auction any need, so weights are mesh-wide configuration:
  // this mesh's every host gets the same table.
  const { nc, client, writer } = await startMesh({ name: "weights" });

  test("can be set per capability and per customer tier", async () => {
    const weights = { "tiered/vip": { cost: 0 } };
    await startHost(nc, [testPeer("cheap", "tiered", async () => ({}), { fit: 0.8 })], { weights });
    await startHost(nc, [testPeer("expert", "tiered", async () => ({}), { fit: 1, cost: 1 })], { weights });
    for (const [caseId, tier] of [["vip-1", "vip"], ["std-1", "standard"]] as const) {
      await writer.append({ caseId, kind: "case.opened", data: { customerId: `${caseId}-cust`, channel: "chat", tier } });
      await writer.append({ caseId, kind: "need.opened", data: { needId: `${caseId}-n`, capability: "tiered", input: {}, requires: [], attempt: 1, fallback: null } });
    }
    const vip = await caseFactsWhen(client, "vip-1", (fs) => needFacts(fs, "need.done", "vip-1-n").length === 1);
    const std = await caseFactsWhen(client, "std-1", (fs) => needFacts(fs, "need.done", "std-1-n").length === 1);
    const vipAward = needFacts(vip, "need.claimed", "vip-1-n")[0]?.fact.data as ClaimedData;
    const stdAward = needFacts(std, "need.claimed", "std-1-n")[0]?.fact.data as ClaimedData;
    assert.equal(vipAward.peer, "expert", "for a VIP, cost does not count: the expert wins");
    assert.equal(stdAward.peer, "cheap", "for a standard customer, the expert's cost loses");
  });
});

describe("an empty mesh", async () => {
  const { nc, client, writer } = await startMesh({ name: "empty" });

  test("a need opened while no peer at all is alive waits in the log and is done once a capable peer starts", async () => {
    const needSeq = await openNeed(writer, "lonely-1", "lonely-1-n", "lonely");
    await new Promise((r) => setTimeout(r, 1_000));
    const waiting = await client.getCase({ caseId: "lonely-1", minSeq: needSeq });
    assert.deepEqual(waiting.case.openNeeds, ["lonely-1-n"]);
    await startHost(nc, [testPeer("first-light", "lonely", async () => ({}))]);
    const facts = await caseFactsWhen(client, "lonely-1", (fs) => needFacts(fs, "need.done", "lonely-1-n").length === 1);
    assert.equal((needFacts(facts, "need.done", "lonely-1-n")[0]?.fact.data as { peer: string }).peer, "first-light");
  });
});

describe("the presence directory", async () => {
  const server = await startNats();
  const nc = await connectTo(server, "watcher");

  test("a peer whose process dies drops out of every directory by itself within the presence TTL", async () => {
    const directory = await watchDirectory(nc);
    const doomedNc = await connectTo(server, "doomed");
    await startHost(doomedNc, [testPeer("doomed-1", "mortal", async () => ({}))]);
    await eventually("the peer to appear", async () => (directory.capable("mortal").length === 1 ? true : undefined));
    // The process dies: no drain, no goodbye, its connection just goes.
    await doomedNc.close();
    const diedAt = Date.now();
    await eventually("the peer to drop out", async () => (directory.capable("mortal").length === 0 ? true : undefined), 10_000);
    const ttl = TEST_HEARTBEAT_MS * PRESENCE_TTL_HEARTBEATS;
    assert.ok(Date.now() - diedAt <= ttl + TEST_HEARTBEAT_MS, `dropped out after ${Date.now() - diedAt} ms`);
  });
});

describe("closing an auction", async () => {
  const { server, nc, client, writer } = await startMesh({ name: "window" });

  test("closes as soon as every live capable process has answered, without waiting out the bid window", async () => {
    const window = 3_000;
    for (const h of [0, 1, 2]) {
      await startHost(await connectTo(server, `w-${h}`), [testPeer(`prompt-${h}`, "prompt", async () => ({}))], { bidWindowMs: window });
    }
    // The auctioneer is whichever host pulls the need; every host uses the long window.
    const directory = await watchDirectory(nc);
    await eventually("all three peers to be live", async () => (directory.capable("prompt").length === 3 ? true : undefined));

    await openNeed(writer, "prompt-1", "prompt-1-n", "prompt");
    const facts = await caseFactsWhen(client, "prompt-1", (fs) => needFacts(fs, "need.claimed", "prompt-1-n").length === 1);
    const opened = needFacts(facts, "need.opened", "prompt-1-n")[0];
    const claimed = needFacts(facts, "need.claimed", "prompt-1-n")[0];
    assert.equal((claimed?.fact.data as ClaimedData).bids.length, 3, "every peer bid");
    const tookMs = Date.parse(claimed?.fact.at ?? "") - Date.parse(opened?.fact.at ?? "");
    assert.ok(tookMs < window / 3, `the award came ${tookMs} ms after the need; the window is ${window} ms`);
  });
});

describe("what a handoff sends over NATS", async () => {
  const { server, nc, client, writer } = await startMesh({ name: "wire" });

  /** Awards, settled notices and claim reads seen on the wire while `run` runs. */
  async function onTheWire(run: () => Promise<void>): Promise<{ awards: number; settled: number; claimReads: number }> {
    const watcher = await connectTo(server, "wire-watcher");
    const seen = { awards: 0, settled: 0, claimReads: 0 };
    watcher.subscribe("casemesh.peer.>", {
      callback: (_err, m) => {
        if (m.subject.endsWith(".award")) seen.awards++;
        if (m.subject.endsWith(".settled")) seen.settled++;
      },
    });
    // A claim read is a JetStream API get on the claims bucket's stream.
    watcher.subscribe("$JS.API.>", {
      callback: (_err, m) => {
        if (m.subject.includes(".GET.") && m.subject.includes("KV_casemesh_claims")) seen.claimReads++;
      },
    });
    await watcher.flush();
    try {
      await run();
      await watcher.flush();
    } finally {
      await watcher.close();
    }
    return seen;
  }

  /** Opens `count` needs of `cap` one after another and waits until each is done once and acknowledged. */
  async function handOff(prefix: string, cap: string, count: number, auctioneers: PeerHost[]): Promise<void> {
    for (let i = 0; i < count; i++) {
      const needId = `${prefix}-${i}-n`;
      await openNeed(writer, `${prefix}-${i}`, needId, cap);
      const facts = await caseFactsWhen(client, `${prefix}-${i}`, (fs) => needFacts(fs, "need.done", needId).length === 1);
      assert.equal(needFacts(facts, "need.claimed", needId).length, 1, `${needId} claimed once`);
    }
    await eventually("the auctioneers to acknowledge every need", async () => (auctioneers.every((h) => h.auctions === 0) ? true : undefined));
  }

  test("a winner in the auctioneer's own process is awarded and settles in-process: no award, notice or claim read on the wire", async () => {
    const host = await startHost(await connectTo(server, "wire-near"), [testPeer("near-1", "wire.near"), testPeer("near-2", "wire.near")]);
    const seen = await onTheWire(() => handOff("wire-near", "wire.near", 5, [host]));
    assert.deepEqual(seen, { awards: 0, settled: 0, claimReads: 0 });
    await host.drain(0);
  });

  test("a winner in another process is told over NATS and checks its claim once; the auctioneer trusts its settled notice", async () => {
    // The only auctioneer hosts no capable peer; the only capable peer does not auction.
    const auctioneer = await startHost(await connectTo(server, "wire-auctioneer"), [testPeer("bystander", "wire.other")]);
    await startHost(await connectTo(server, "wire-far"), [testPeer("far-1", "wire.far")], { auction: false });
    const directory = await watchDirectory(nc);
    await eventually("the far peer to be live", async () => (directory.capable("wire.far").length === 1 ? true : undefined));
    const seen = await onTheWire(() => handOff("wire-far", "wire.far", 5, [auctioneer]));
    // One award and one notice per need, and one claim read: the winner's check that the award is still its own.
    assert.deepEqual(seen, { awards: 5, settled: 5, claimReads: 5 });
  });
});

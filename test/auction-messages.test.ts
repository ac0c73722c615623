import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BlackboardClient } from "../blackboard/index.ts";
import { connectTo, startNats } from "./harness/nats.ts";
import { startReplica } from "./harness/replica.ts";
import { openNeed, startHost, testPeer, testWriter } from "./harness/mesh.ts";
import { caseFactsWhen, eventually, needFacts } from "./harness/wait.ts";

const NEEDS = 20;

describe("messages per auction", async () => {
  const server = await startNats({ monitor: true });
  const nc = await connectTo(server);
  await startReplica(nc);
  const client = new BlackboardClient(nc);
  const writer = await testWriter(nc);

  /** Messages the server received plus messages it delivered, from its own counters. */
  async function serverMessages(): Promise<number> {
    const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as { in_msgs: number; out_msgs: number };
    return varz.in_msgs + varz.out_msgs;
  }

  /**
   * Runs NEEDS needs one after another through `peers` capable peers, each in
   * its own host with its own connection (as separate processes would be: the
   * worst case, since a host answers a call once for all its peers); returns
   * messages per need.
   */
  async function perNeed(peers: number): Promise<number> {
    const cap = `count.p${peers}`;
    const hosts = [];
    for (let h = 0; h < peers; h++) {
      const hostNc = await connectTo(server, `count-${peers}-${h}`);
      // Slow heartbeats, so presence traffic does not blur the count.
      hosts.push(await startHost(hostNc, [testPeer(`c${peers}-${h}`, cap, async () => ({}))], { heartbeatMs: 5_000, leaseMs: 15_000, auction: h < 5 }));
    }
    const run = async (label: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const caseId = `count-${peers}-${label}-${i}`;
        await openNeed(writer, caseId, `${caseId}-n`, cap);
        const facts = await caseFactsWhen(client, caseId, (fs) => needFacts(fs, "need.done", `${caseId}-n`).length === 1);
        const award = needFacts(facts, "need.claimed", `${caseId}-n`)[0]?.fact.data as { bids: unknown[] };
        assert.equal(award.bids.length, peers, "every capable peer bid");
      }
    };
    await eventually("every peer to be bidding", async () => {
      await run("warm", 1);
      return true;
    });
    const before = await serverMessages();
    await run("measured", NEEDS);
    const after = await serverMessages();
    for (const host of hosts) await host.drain(0);
    return (after - before) / NEEDS;
  }

  test("grow linearly, not quadratically, with the number of capable peers (5 vs 50)", async (t) => {
    const at5 = await perNeed(5);
    const at50 = await perNeed(50);
    const perExtraPeer = (at50 - at5) / 45;
    t.diagnostic(`messages per need: ${at5.toFixed(1)} with 5 peers, ${at50.toFixed(1)} with 50; ${perExtraPeer.toFixed(2)} per extra peer`);
    // A call for proposals is delivered to each peer and each answers: about 3
    // messages per peer (publish, delivery, reply). All-to-all bidding would cost ~50 per peer.
    assert.ok(perExtraPeer <= 6, `each extra peer costs ${perExtraPeer} messages per need`);
    assert.ok(at50 < 50 * 50, "far below one message per pair of peers");
  });
});

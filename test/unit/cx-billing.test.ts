import assert from "node:assert/strict";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError } from "../../core/errors.ts";
import { SAMPLE_DATA_DIR, loadAccountData } from "../../peers/cx/account-data.ts";
import { findDuplicateCharge, loadBillingConfig } from "../../peers/cx/billing.ts";
import { tempDir } from "../harness/nats.ts";

test("sample data and the threshold are parsed: a broken file or value is a ConfigError naming the field", async () => {
  const data = loadAccountData();
  const ada = data.accounts.find((a) => a.accountId === "acc-1001");
  assert.ok(ada !== undefined);
  const finding = findDuplicateCharge(ada.charges, { dates: ["October"] });
  assert.ok("found" in finding);
  assert.deepEqual(finding.found.duplicates.map((c) => c.chargeId), ["ch-1001-10b"]);
  assert.ok("unclear" in findDuplicateCharge(data.accounts.find((a) => a.accountId === "acc-3003")?.charges ?? []));

  const dir = await tempDir("casemesh-cx-data-");
  await cp(SAMPLE_DATA_DIR, dir, { recursive: true });
  const accounts = JSON.parse(await readFile(join(dir, "accounts.json"), "utf8")) as { accounts: { charges: { amount: { currency: string } }[] }[] };
  const charge = accounts.accounts[1]?.charges[0];
  assert.ok(charge !== undefined);
  charge.amount.currency = "euro";
  await writeFile(join(dir, "accounts.json"), JSON.stringify(accounts));
  assert.throws(() => loadAccountData(dir), (err: unknown) => err instanceof ConfigError && /accounts\.1\.charges\.0\.amount\.currency/.test(err.message));

  assert.equal(loadBillingConfig({}).humanThresholdMinor, 10_000);
  assert.equal(loadBillingConfig({ CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR: "2500" }).humanThresholdMinor, 2_500);
  for (const bad of ["ten", "-5", "12.5"]) {
    assert.throws(
      () => loadBillingConfig({ CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR: bad }),
      (err: unknown) => err instanceof ConfigError && err.message.includes("CASEMESH_BILLING_HUMAN_THRESHOLD_MINOR"),
    );
  }
});

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { ConfigError } from "../../../core/index.ts";
import { AssembledContext, OrganisationContext, ProductContext, ProtocolContext } from "./context-schema.ts";

/**
 * The context hierarchy of the reference CX peers: JSON files describing the
 * organisation, each product line and each capability's protocol, validated
 * once when loaded and assembled structurally (organisation, then product,
 * then protocol) into the prefix every model prompt starts with. Nothing is
 * retrieved by similarity, and the same input always gives the same bytes, so
 * the prefix can be prompt-cached.
 */

/** The folder holding the reference context files (this folder). */
export const DEFAULT_CONTEXT_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Every validated context file of one folder. */
export interface ContextHierarchy {
  /** The folder the files were read from. */
  dir: string;
  organisation: OrganisationContext;
  /** Product lines by name, in name order. */
  products: ReadonlyMap<string, ProductContext>;
  /** Protocols by capability, in capability order. */
  protocols: ReadonlyMap<string, ProtocolContext>;
}

/** What to assemble: the step's capability and, when the case has one, its product line. */
export interface ContextRequest {
  capability: string;
  productLine?: string | null | undefined;
}

/**
 * Reads and validates `organisation.json`, `products/<line>.json` and
 * `protocols/<capability>.json` under `dir`. Throws {@link ConfigError} naming
 * the file and the first offending field; a product or protocol file must be
 * named after the line or capability it declares.
 */
export function loadContextHierarchy(dir: string = DEFAULT_CONTEXT_DIR): ContextHierarchy {
  const organisation = readContextFile(join(dir, "organisation.json"), OrganisationContext);
  const products = new Map<string, ProductContext>();
  for (const file of jsonFiles(join(dir, "products"))) {
    const product = readContextFile(file, ProductContext);
    expectNamed(file, "line", product.line);
    products.set(product.line, product);
  }
  const protocols = new Map<string, ProtocolContext>();
  for (const file of jsonFiles(join(dir, "protocols"))) {
    const protocol = readContextFile(file, ProtocolContext);
    expectNamed(file, "capability", protocol.capability);
    protocols.set(protocol.capability, protocol);
  }
  return { dir, organisation, products, protocols };
}

/**
 * Assembles the context of one step: organisation, then the product line (if
 * any), then the protocol of `capability`. Throws {@link ConfigError} when the
 * hierarchy has no protocol for the capability or no such product line.
 */
export function assembleContext(hierarchy: ContextHierarchy, request: ContextRequest): AssembledContext {
  const protocol = hierarchy.protocols.get(request.capability);
  if (protocol === undefined) {
    const known = [...hierarchy.protocols.keys()].join(", ");
    throw new ConfigError(`context: no protocol for capability ${request.capability} in ${join(hierarchy.dir, "protocols")} (known: ${known})`);
  }
  const line = request.productLine ?? null;
  let product: ProductContext | null = null;
  if (line !== null) {
    const found = hierarchy.products.get(line);
    if (found === undefined) {
      const known = [...hierarchy.products.keys()].join(", ");
      throw new ConfigError(`context: no product line ${line} in ${join(hierarchy.dir, "products")} (known: ${known})`);
    }
    product = found;
  }
  const sections = [renderOrganisation(hierarchy.organisation)];
  if (product !== null) sections.push(renderProduct(product));
  sections.push(renderProtocol(protocol));
  const prefix = `${sections.join("\n\n")}\n`;
  return {
    capability: protocol.capability,
    productLine: line,
    prefix,
    digest: createHash("sha256").update(prefix).digest("hex"),
    organisation: hierarchy.organisation,
    product,
    protocol,
  };
}

function jsonFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(folder, name));
}

function readContextFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`${file}: cannot be read`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: is not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".");
    throw new ConfigError(`${file}: ${field}: ${issue?.message ?? "invalid"}`, { cause: parsed.error });
  }
  return parsed.data as z.infer<S>;
}

function expectNamed(file: string, field: string, value: string): void {
  const expected = basename(file, ".json");
  if (value !== expected) throw new ConfigError(`${file}: ${field}: is ${value} but the file is named for ${expected}`);
}

function money(minor: number, currency: string): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")} ${currency}`;
}

function bullets(items: readonly string[]): string[] {
  return items.map((item) => `- ${item}`);
}

function renderOrganisation(o: OrganisationContext): string {
  return [
    `# Organisation: ${o.name}`,
    `Persona: ${o.voice.persona}`,
    `Tone: ${o.voice.tone.join(", ")}`,
    ...(o.voice.avoid.length > 0 ? [`Avoid: ${o.voice.avoid.join(", ")}`] : []),
    "",
    "## Policies",
    ...o.policies.map((p) => `- [${p.id}] ${p.text}`),
    "",
    "## Escalation",
    ...(o.escalation.length === 0 ? ["- none"] : o.escalation.map((e) => `- [${e.id}] ${e.when} -> ${e.capability} (${e.priority})`)),
    "",
    "## Channels",
    `- chat: at most ${o.channels.chat.maxChars} characters`,
    `- email: greeting "${o.channels.email.greeting}", sign-off "${o.channels.email.signOff}", signature "${o.channels.email.signature}"`,
    `- voice: close with "${o.channels.voice.closing}"`,
  ].join("\n");
}

function renderProduct(p: ProductContext): string {
  const cycle = p.billingCycle;
  return [
    `# Product line: ${p.name} (${p.line})`,
    `Currency: ${p.currency}`,
    `Billing cycle: closes on day ${cycle.closesOnDay} of each month; payment due ${cycle.dueDays} days later; ${cycle.prorated ? "prorated" : "not prorated"}.`,
    `Billing notes: ${cycle.notes}`,
    "",
    "## Plans",
    ...p.plans.map((plan) => {
      const features = plan.features.length > 0 ? `: ${plan.features.join(", ")}` : "";
      return `- ${plan.name} [${plan.id}] ${money(plan.monthlyMinor, p.currency)} per month${features}`;
    }),
    ...(p.facts.length > 0 ? ["", "## Facts", ...bullets(p.facts)] : []),
  ].join("\n");
}

function renderProtocol(p: ProtocolContext): string {
  return [
    `# Protocol: ${p.capability}`,
    `Goal: ${p.goal}`,
    "",
    "## Steps",
    ...p.steps.map((step, i) => `${i + 1}. ${step}`),
    ...(p.never.length > 0 ? ["", "## Never", ...bullets(p.never)] : []),
  ].join("\n");
}

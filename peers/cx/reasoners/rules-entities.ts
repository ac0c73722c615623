import type { Money } from "../../../blackboard/index.ts";
import type { Intent, IntentClassification } from "./reasoner.ts";

/**
 * Deterministic reading of a customer message: keyword and pattern rules for
 * the intent, and regular expressions for amounts, dates and order ids. No
 * model, no network; the same message always gives the same answer.
 */

/** The most entities of one kind kept from a message (the contract's limit). */
export const MAX_ENTITIES = 20;

const SYMBOL_CURRENCY: Record<string, string> = { $: "USD", "€": "EUR", "£": "GBP" };
const WORD_CURRENCY: Record<string, string> = {
  usd: "USD", dollar: "USD", dollars: "USD",
  eur: "EUR", euro: "EUR", euros: "EUR",
  gbp: "GBP", pound: "GBP", pounds: "GBP",
};
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?`;
const AMOUNT_SYMBOL_FIRST = new RegExp(String.raw`([$€£])\s?${NUMBER}`, "g");
const AMOUNT_CODE_AFTER = new RegExp(String.raw`\b${NUMBER}\s?(usd|eur|gbp|dollars?|euros?|pounds?)\b`, "gi");

const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";
const MONTHS_SHORT = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";
const WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const DATE_PATTERNS: readonly RegExp[] = [
  /\b\d{4}-\d{2}-\d{2}\b/g,
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g,
  new RegExp(String.raw`\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:${MONTHS}|${MONTHS_SHORT})\b\.?(?:\s+\d{4})?`, "gi"),
  new RegExp(String.raw`\b(?:${MONTHS}|${MONTHS_SHORT})\b\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{4})?`, "g"),
  new RegExp(String.raw`\b(?:last|next|this)?\s?(?:${WEEKDAYS})\b`, "gi"),
  /\b(?:today|yesterday|tomorrow|last (?:week|month)|this (?:week|month))\b/gi,
];
const ORDER_ID = /#\s?([A-Za-z]{0,4}\d{3,12})\b|\border\s+(?:number\s+|no\.?\s+|id\s+)?([A-Za-z]{1,4}\d{3,12}|\d{5,12})\b/gi;

/** Every amount in `text`, in minor units: "$12.50" → 1250 USD, "€40" → 4000 EUR. */
export function findAmounts(text: string): Money[] {
  const found: Array<{ at: number; money: Money }> = [];
  for (const m of text.matchAll(AMOUNT_SYMBOL_FIRST)) {
    const currency = SYMBOL_CURRENCY[m[1] ?? ""];
    if (currency !== undefined && m[2] !== undefined) found.push({ at: m.index, money: { amountMinor: minor(m[2], m[3]), currency } });
  }
  for (const m of text.matchAll(AMOUNT_CODE_AFTER)) {
    const currency = WORD_CURRENCY[(m[3] ?? "").toLowerCase()];
    if (currency !== undefined && m[1] !== undefined) found.push({ at: m.index, money: { amountMinor: minor(m[1], m[2]), currency } });
  }
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.money)
    .slice(0, MAX_ENTITIES);
}

function minor(whole: string, fraction: string | undefined): number {
  return Number(whole.replace(/,/g, "")) * 100 + (fraction === undefined ? 0 : Number(fraction.padEnd(2, "0")));
}

/** Every date mentioned in `text`, as written ("October", "3 March 2026", "yesterday"), in order, without repeats. */
export function findDates(text: string): string[] {
  const spans: Array<{ at: number; end: number; text: string }> = [];
  for (const pattern of DATE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const value = m[0].trim().replace(/\.$/, "");
      const at = m.index + (m[0].length - m[0].trimStart().length);
      const end = at + value.length;
      if (value === "" || spans.some((s) => at < s.end && end > s.at)) continue;
      // "May I ..." is a question, not a month: a bare "May" needs a preposition before it.
      if (value === "May" && !/\b(?:in|on|of|since|until|from|by|for|last|next|this|early|late|mid)\s+$/i.test(text.slice(0, at))) continue;
      spans.push({ at, end, text: value });
    }
  }
  return unique(spans.sort((a, b) => a.at - b.at).map((s) => s.text));
}

/** Every order id in `text` ("#A1234", "order 99812"), upper-case and without the hash sign. */
export function findOrderIds(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(ORDER_ID)) {
    const id = m[1] ?? m[2];
    if (id !== undefined) ids.push(id.toUpperCase());
  }
  return unique(ids);
}

function unique(values: string[]): string[] {
  return [...new Set(values)].slice(0, MAX_ENTITIES);
}

interface IntentRule {
  intent: Exclude<Intent, "other">;
  patterns: readonly RegExp[];
}

/** Keyword rules per intent; the order breaks ties. */
const INTENT_RULES: readonly IntentRule[] = [
  {
    intent: "billing_dispute",
    patterns: [
      /\bcharged (?:me )?(?:twice|double|two times)\b/i,
      /\b(?:double|duplicate)[- ]?(?:charged?|billed|payment|debit)\b/i,
      /\bover[- ]?charged?\b/i,
      /\b(?:refund|dispute|chargeback)\b/i,
      /\b(?:bill|invoice|charge|payment)s?\b.*\b(?:wrong|incorrect|too high|twice|mistake|extra)\b/i,
      /\b(?:wrong|incorrect|unexpected|extra|unknown)\s+(?:amount|charge|fee|bill)s?\b/i,
      /\bcharged\b/i,
    ],
  },
  {
    intent: "order_status",
    patterns: [
      /\bwhere(?:'s| is)? my (?:order|parcel|package|delivery|router|sim)\b/i,
      /\border status\b/i,
      /\b(?:tracking|track my|shipped|shipping|dispatch(?:ed)?)\b/i,
      /\b(?:hasn't|has not|didn't|did not|never) (?:arrived|come|been delivered)\b/i,
      /#\s?[A-Za-z]{0,4}\d{3,}/,
    ],
  },
  {
    intent: "technical_problem",
    patterns: [
      /\b(?:not|isn't|is not|stopped|doesn't|does not|won't) (?:working|connecting|load(?:ing)?)\b/i,
      /\b(?:no|lost|weak) (?:signal|internet|connection|service|coverage|dial tone)\b/i,
      /\b(?:internet|wifi|wi-fi|broadband|connection|network)\b.*\b(?:down|slow|dropping|drops|keeps dropping|unstable|outage)\b/i,
      /\b(?:outage|router|modem|can't connect|cannot connect|error code)\b/i,
      /\b(?:keeps? dropping|cuts? out|buffering)\b/i,
    ],
  },
  {
    intent: "cancellation",
    patterns: [
      /\bcancel(?:l?ing|l?ed|lation)?\b/i,
      /\bterminate\b|\btermination\b/i,
      /\bclose my account\b/i,
      /\b(?:switch(?:ing)?|moving) (?:to )?(?:another|a different) (?:provider|network|operator)\b/i,
      /\bport (?:my )?number (?:out|away)\b/i,
    ],
  },
];

/** Classifies `text` by keyword rules and extracts its entities. */
export function classifyByRules(text: string): IntentClassification {
  let best: { intent: Intent; hits: number } = { intent: "other", hits: 0 };
  for (const rule of INTENT_RULES) {
    const hits = rule.patterns.filter((p) => p.test(text)).length;
    if (hits > best.hits) best = { intent: rule.intent, hits };
  }
  const confidence = best.hits === 0 ? 0.3 : Math.min(0.95, 0.55 + 0.15 * best.hits);
  return {
    intent: best.intent,
    confidence: Math.round(confidence * 100) / 100,
    entities: { amounts: findAmounts(text), dates: findDates(text), orderIds: findOrderIds(text) },
  };
}

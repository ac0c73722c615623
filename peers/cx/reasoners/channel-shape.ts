import type { Channel } from "../../../blackboard/index.ts";
import type { OrganisationContext } from "../context/context-schema.ts";

/**
 * What makes a reply fit its channel, shared by every reasoner: chat is
 * short, voice is speakable (no links, no symbols, numbers in words), email
 * is complete (greeting, body, sign-off). Rules build replies this shape;
 * a model's reply is checked against it.
 */

const ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES: ReadonlyArray<[number, string]> = [
  [1_000_000_000, "billion"],
  [1_000_000, "million"],
  [1_000, "thousand"],
];

/** English words for a whole number from 0 up to 999,999,999,999 (larger ones are read digit by digit). */
export function numberToWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1_000_000_000_000) return digitsToWords(String(n));
  if (n < 20) return ONES[n] ?? "";
  if (n < 100) {
    const rest = n % 10;
    return `${TENS[Math.floor(n / 10)] ?? ""}${rest === 0 ? "" : `-${ONES[rest] ?? ""}`}`;
  }
  if (n < 1_000) {
    const rest = n % 100;
    return `${ONES[Math.floor(n / 100)] ?? ""} hundred${rest === 0 ? "" : ` and ${numberToWords(rest)}`}`;
  }
  for (const [size, name] of SCALES) {
    if (n >= size) {
      const rest = n % size;
      const tail = rest === 0 ? "" : rest < 100 ? ` and ${numberToWords(rest)}` : ` ${numberToWords(rest)}`;
      return `${numberToWords(Math.floor(n / size))} ${name}${tail}`;
    }
  }
  return "";
}

/** English ordinal words: 3 → third, 21 → twenty-first. */
export function ordinalWords(n: number): string {
  const words = numberToWords(n);
  const irregular: Record<string, string> = { one: "first", two: "second", three: "third", five: "fifth", eight: "eighth", nine: "ninth", twelve: "twelfth" };
  const match = /([a-z]+)$/.exec(words);
  const last = match?.[1] ?? "";
  const head = words.slice(0, words.length - last.length);
  const replaced = irregular[last] ?? (last.endsWith("y") ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return `${head}${replaced}`;
}

/** Reads a run of digits one by one: "4021" → "four zero two one". */
export function digitsToWords(digits: string): string {
  return [...digits.replace(/\D/g, "")].map((d) => ONES[Number(d)] ?? "").join(" ");
}

const CURRENCY_WORDS: Record<string, [string, string, string, string]> = {
  USD: ["dollar", "dollars", "cent", "cents"],
  EUR: ["euro", "euros", "cent", "cents"],
  GBP: ["pound", "pounds", "penny", "pence"],
};
const SYMBOL_CURRENCY: Record<string, string> = { $: "USD", "€": "EUR", "£": "GBP" };

/** Says an amount in words: (1250, USD) → "twelve dollars and fifty cents". */
export function amountToWords(minor: number, currency: string): string {
  const names = CURRENCY_WORDS[currency];
  const major = Math.floor(minor / 100);
  const cents = minor % 100;
  if (names === undefined) {
    const base = numberToWords(major) + (cents === 0 ? "" : ` point ${digitsToWords(String(cents).padStart(2, "0"))}`);
    return `${base} ${[...currency].join(" ")}`;
  }
  const [one, many, centOne, centMany] = names;
  const majorPart = `${numberToWords(major)} ${major === 1 ? one : many}`;
  if (cents === 0) return majorPart;
  const centPart = `${numberToWords(cents)} ${cents === 1 ? centOne : centMany}`;
  return major === 0 ? centPart : `${majorPart} and ${centPart}`;
}

function minorUnits(whole: string, fraction: string | undefined): number {
  const major = Number(whole.replace(/,/g, ""));
  const cents = fraction === undefined ? 0 : Number(fraction.padEnd(2, "0"));
  return major * 100 + cents;
}

/**
 * Rewrites text so a voice channel can speak it: links and email addresses
 * become words, amounts, percentages, times, ordinals and numbers are spelled
 * out, codes such as order ids are read character by character, and symbols
 * are dropped. The result holds no digits.
 */
export function toSpeakable(text: string): string {
  return text
    .replace(/\[card \*{4}(\d{4})\]/g, (_m, last: string) => `the card ending in ${digitsToWords(last)}`)
    .replace(/\b(?:https?:\/\/|www\.)\S*[^\s.,;:!?)]/gi, "our website")
    .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, "your email address")
    .replace(/([$€£])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?/g, (_m, sym: string, whole: string, frac: string | undefined) =>
      amountToWords(minorUnits(whole, frac), SYMBOL_CURRENCY[sym] ?? "USD"),
    )
    .replace(/(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(EUR|USD|GBP)\b/g, (_m, whole: string, frac: string | undefined, code: string) =>
      amountToWords(minorUnits(whole, frac), code),
    )
    .replace(/(\d+(?:\.\d+)?)\s?%/g, (_m, n: string) => `${decimalToWords(n)} percent`)
    .replace(/#?\b([A-Za-z]{1,3})[-]?(\d{3,})\b/g, (_m, letters: string, digits: string) => `${[...letters.toUpperCase()].join(" ")} ${digitsToWords(digits)}`)
    .replace(/#(\d+)/g, (_m, digits: string) => `number ${digitsToWords(digits)}`)
    .replace(/\b(\d{1,2}):(\d{2})\b/g, (_m, h: string, m: string) => {
      const minutes = Number(m);
      const said = minutes === 0 ? "o'clock" : minutes < 10 ? `oh ${numberToWords(minutes)}` : numberToWords(minutes);
      return `${numberToWords(Number(h))} ${said}`;
    })
    .replace(/\b(\d+)(st|nd|rd|th)\b/gi, (_m, n: string) => ordinalWords(Number(n)))
    .replace(/\d(?:[\d ,.-]*\d)?/g, (run) => {
      const plain = run.replace(/,/g, "");
      if (/^\d{1,9}$/.test(plain)) return numberToWords(Number(plain));
      if (/^\d{1,9}\.\d+$/.test(plain)) return decimalToWords(plain);
      return digitsToWords(run);
    })
    .replace(/&/g, " and ")
    .replace(/\+/g, " plus ")
    .replace(/[#@*_~`|<>[\]{}\\^=$€£%/]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/ ([,.!?;:])/g, "$1")
    .trim();
}

function decimalToWords(n: string): string {
  const [whole, fraction] = n.split(".");
  const head = numberToWords(Number(whole ?? "0"));
  return fraction === undefined || fraction === "" ? head : `${head} point ${digitsToWords(fraction)}`;
}

const GREETING = /^(hello|hi|dear|good (morning|afternoon|evening))\b/i;
const URL = /\bhttps?:\/\/|\bwww\./i;
const VOICE_SYMBOLS = /[#@*_~`|<>[\]{}\\^=$€£%/&+]/;

/** Why `text` does not fit `channel`, as short sentences; empty when it fits. */
export function channelShapeProblems(channel: Channel, text: string, organisation: OrganisationContext): string[] {
  const problems: string[] = [];
  switch (channel) {
    case "chat": {
      const max = organisation.channels.chat.maxChars;
      if (text.length > max) problems.push(`a chat reply must be at most ${max} characters, this one has ${text.length}`);
      break;
    }
    case "voice":
      if (URL.test(text)) problems.push("a voice reply must not contain links");
      if (/\d/.test(text)) problems.push("a voice reply must say numbers in words, not digits");
      if (VOICE_SYMBOLS.test(text)) problems.push("a voice reply must not contain symbols");
      break;
    case "email": {
      const { signOff } = organisation.channels.email;
      if (!GREETING.test(text.trimStart())) problems.push("an email reply must open with a greeting such as Hello or Dear");
      if (!text.includes(signOff)) problems.push(`an email reply must end with the sign-off "${signOff}" and the signature`);
      break;
    }
    case "self_service":
      break;
  }
  return problems;
}

/** Ensures a sentence ends with punctuation. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Cuts `text` to at most `max` characters at a word boundary, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(" ");
  return `${(space > max / 2 ? room.slice(0, space) : room).replace(/[\s,;:.]+$/, "")}…`;
}

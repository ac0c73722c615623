/**
 * Redaction of personal data in free text, applied before anything reaches a
 * log line or a model prompt. Card numbers are found by shape and confirmed by
 * the Luhn check, so order ids and phone numbers are left alone.
 */

/** What a redacted card number becomes; the last four digits stay for support. */
export const CARD_MASK = "[card ****";

const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;
const NATIONAL_ID = /\b\d{3}-\d{2}-\d{4}\b/g; // US SSN shape

/** Replaces card numbers (Luhn-valid, 13 to 19 digits) and national ids in `text`. */
export function redactText(text: string): string {
  return text
    .replace(CARD_CANDIDATE, (match) => {
      const digits = match.replace(/[ -]/g, "");
      return luhnValid(digits) ? `${CARD_MASK}${digits.slice(-4)}]` : match;
    })
    .replace(NATIONAL_ID, "[national id]");
}

/** True when `digits` passes the Luhn checksum. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

import { redactText } from "../../../observability/index.ts";
import { clip, sentence, toSpeakable } from "./channel-shape.ts";
import type {
  ClassifyIntentInput,
  DraftReplyInput,
  HumanSummary,
  IntentClassification,
  Reasoner,
  ReplyDraft,
  SummarizeForHumanInput,
} from "./reasoner.ts";
import { classifyByRules } from "./rules-entities.ts";

/** The most fact lines a rules summary quotes; longer cases keep their first and latest lines. */
export const RULES_SUMMARY_MAX_LINES = 12;

/** The line an email from the rules reasoner closes its body with. */
export const EMAIL_CLOSING_LINE = "If anything else comes up, just reply to this email.";

/**
 * The deterministic reasoner, and the default: keyword rules for intents,
 * patterns for entities, templates for replies and summaries. Needs nothing
 * and answers the same way every time. Customer-derived text is redacted
 * before it is echoed in a reply or a summary.
 */
export class RulesReasoner implements Reasoner {
  /** Always `rules`. */
  readonly kind = "rules" as const;

  /** Classifies by keyword rules; amounts, dates and order ids by pattern. */
  async classifyIntent(input: ClassifyIntentInput): Promise<IntentClassification> {
    return classifyByRules(input.text);
  }

  /** Fills the channel's template: short chat, speakable voice, complete email. */
  async draftReply(input: DraftReplyInput): Promise<ReplyDraft> {
    const org = input.context.organisation;
    const name = input.customerName === undefined ? undefined : redactText(input.customerName).trim();
    const facts = input.facts.map((f) => sentence(redactText(f)));
    let text: string;
    switch (input.channel) {
      case "chat": {
        const max = org.channels.chat.maxChars;
        const body = facts.join(" ");
        const greeted = `${name === undefined ? "Hi" : `Hi ${name}`}, ${body}`;
        text = greeted.length <= max ? greeted : clip(body, max);
        break;
      }
      case "voice":
        text = toSpeakable([name === undefined ? "Hello." : `Hello ${name}.`, ...facts, org.channels.voice.closing].join(" "));
        break;
      case "email": {
        const { greeting, signOff, signature } = org.channels.email;
        text = [`${greeting}${name === undefined ? "" : ` ${name}`},`, ...facts, EMAIL_CLOSING_LINE, `${signOff},\n${signature}`].join("\n\n");
        break;
      }
      case "self_service":
        text = facts.join(" ");
        break;
    }
    return { text };
  }

  /** Quotes the case's facts (redacted), first and latest when there are many, under a one-line heading. */
  async summarizeForHuman(input: SummarizeForHumanInput): Promise<HumanSummary> {
    const lines = input.caseFacts.map((f) => redactText(f).replace(/\s+/g, " ").trim());
    const max = RULES_SUMMARY_MAX_LINES;
    const shown =
      lines.length <= max
        ? lines
        : [...lines.slice(0, 2), `… ${lines.length - max} earlier facts omitted …`, ...lines.slice(lines.length - (max - 2))];
    const heading = `Case handed to a human (${input.context.protocol.capability}): ${lines.length} fact${lines.length === 1 ? "" : "s"}, latest last.`;
    const summary = [heading, ...shown.map((l) => `- ${clip(l, 300)}`)].join("\n");
    return { summary: clip(summary, 4_000) };
  }
}

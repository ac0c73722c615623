/**
 * Lines meant for people, as `npm start` prints them: every one starts with
 * {@link SAY_PREFIX}, unlike the blackboard's JSON log lines passing through.
 */

/** Prefix of every line meant for people. */
export const SAY_PREFIX = "casemesh: ";

/** Prints a line for people on stdout. */
export function say(text: string): void {
  process.stdout.write(`${SAY_PREFIX}${text}\n`);
}

/** Prints a line for people on stderr. */
export function sayError(text: string): void {
  process.stderr.write(`${SAY_PREFIX}${text}\n`);
}

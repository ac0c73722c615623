/**
 * Errors are small, named and coded. Every casemesh error carries a stable
 * `code` (for logs, metrics labels and wire replies) and says whether trying
 * again can help (`retryable`). Subclasses are split by who is at fault:
 * the caller (bad input), the state of the world (conflict, not found), or
 * the infrastructure (unavailable, timeout).
 */

/** Stable error codes. They appear on the wire, so never rename one. */
export type ErrorCode =
  | "CONFIG_INVALID"
  | "CONTRACT_VIOLATION"
  | "CONFLICT"
  | "NOT_FOUND"
  | "NOT_CAUGHT_UP"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "TOO_LARGE"
  | "BAD_REQUEST"
  | "UNAUTHENTICATED"
  | "PERMISSION_DENIED"
  | "OVERLOADED"
  | "INTERNAL";

export interface CasemeshErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

/** Base class of every error casemesh throws on purpose. */
export class CasemeshError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: CasemeshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Options of a {@link ConfigError}. */
export interface ConfigErrorOptions extends CasemeshErrorOptions {
  /** The environment variables at fault, when known. */
  variables?: readonly string[];
}

/** Configuration is missing, malformed or self-contradictory. Caller's fault. */
export class ConfigError extends CasemeshError {
  /** The environment variables at fault (empty when the fault is in a file or not one variable's). */
  readonly variables: readonly string[];

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super("CONFIG_INVALID", message, options);
    this.variables = options.variables ?? [];
  }
}

/** One problem zod found in the environment: the path's first element is the variable. */
export interface EnvIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The {@link ConfigError} for an environment a zod schema refused:
 * `invalid configuration: VAR: problem; VAR2: problem`, with the variables in `variables`.
 */
export function envConfigError(issues: readonly EnvIssue[], options: CasemeshErrorOptions = {}): ConfigError {
  const lines = issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`);
  const variables = [...new Set(issues.flatMap((i) => (i.path[0] === undefined ? [] : [String(i.path[0])])))];
  return new ConfigError(`invalid configuration: ${lines.join("; ")}`, { ...options, variables });
}

/** One problem found while checking a value against its contract. */
export interface ContractIssue {
  /** Dotted path of the offending field, e.g. `data.amount.value`. */
  path: string;
  message: string;
}

/**
 * A value broke its contract (a fact, a query, a request). The message names
 * the first offending field; `issues` lists all of them. Caller's fault.
 */
export class ContractViolationError extends CasemeshError {
  readonly issues: readonly ContractIssue[];
  /** The contract that was broken, e.g. `fact credit.applied v1`. */
  readonly contract: string;

  constructor(contract: string, issues: readonly ContractIssue[], options: CasemeshErrorOptions = {}) {
    const first = issues[0];
    const where = first === undefined ? "" : ` at ${first.path || "(root)"}: ${first.message}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super("CONTRACT_VIOLATION", `${contract} is invalid${where}${more}`, options);
    this.issues = issues;
    this.contract = contract;
  }
}

/** A value is larger than the limit for where it is going. Caller's fault. */
export class TooLargeError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("TOO_LARGE", message, options);
  }
}

/** An optimistic-concurrency expectation did not hold: someone wrote first. */
export class ConflictError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("CONFLICT", message, options);
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("NOT_FOUND", message, options);
  }
}

/** A read asked for a version the projection has not reached in time. */
export class NotCaughtUpError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("NOT_CAUGHT_UP", message, { retryable: true, ...options });
  }
}

/** NATS, JetStream or a blackboard replica cannot be reached right now. */
export class UnavailableError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("UNAVAILABLE", message, { retryable: true, ...options });
  }
}

/** An operation ran out of time. */
export class TimeoutError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("TIMEOUT", message, { retryable: true, ...options });
  }
}

/** A request was malformed in a way that is not a contract of a fact. */
export class BadRequestError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("BAD_REQUEST", message, options);
  }
}

/** The caller did not prove who it is: no credential, or an unknown one. */
export class UnauthenticatedError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("UNAUTHENTICATED", message, options);
  }
}

/** The caller is known but may not do this (a voice credential posting as email). */
export class PermissionDeniedError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("PERMISSION_DENIED", message, options);
  }
}

/** Too much work in flight; the caller should back off and retry. */
export class OverloadedError extends CasemeshError {
  constructor(message: string, options: CasemeshErrorOptions = {}) {
    super("OVERLOADED", message, { retryable: true, ...options });
  }
}

/** Builds a casemesh error from a wire error `{code, message}`. */
export function errorFromWire(code: ErrorCode, message: string, retryable: boolean): CasemeshError {
  switch (code) {
    case "CONFLICT":
      return new ConflictError(message);
    case "NOT_FOUND":
      return new NotFoundError(message);
    case "NOT_CAUGHT_UP":
      return new NotCaughtUpError(message);
    case "UNAVAILABLE":
      return new UnavailableError(message);
    case "TIMEOUT":
      return new TimeoutError(message);
    case "BAD_REQUEST":
      return new BadRequestError(message);
    case "TOO_LARGE":
      return new TooLargeError(message);
    case "CONFIG_INVALID":
      return new ConfigError(message);
    default:
      return new CasemeshError(code, message, { retryable });
  }
}

/** Returns a casemesh error for anything thrown, keeping the original as cause. */
export function asCasemeshError(err: unknown): CasemeshError {
  if (err instanceof CasemeshError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CasemeshError("INTERNAL", message, { cause: err });
}

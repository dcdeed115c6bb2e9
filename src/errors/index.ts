import { goFormat } from './go-format.js';
import { templates, type TemplateCode } from './templates.js';

export { goFormat, goQuote, goQuoteRune } from './go-format.js';
export { templates, type TemplateCode } from './templates.js';

/** Renders a template from the table with Go verbs. */
export function text(code: TemplateCode, ...args: unknown[]): string {
  return goFormat(templates[code], args);
}

/**
 * An error of the real stack, carrying the exact text it prints. Families subclass this so
 * callers can branch on kind (`instanceof TransportError`) and on `code`; `cause` keeps the
 * wrapped error like Go's %w, so checks such as errors.Is(ECONNREFUSED) can walk the chain.
 */
export class StackError extends Error {
  constructor(readonly code: TemplateCode | string, message: string, override readonly cause?: StackError) {
    // A StackError is a value (the text the real stack prints), never a bug to debug: capturing a
    // V8 stack for each one cost more than the rest of a policy verdict.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
  }

  /** True when this error or any error it wraps has the given code. */
  is(code: string): boolean {
    for (let e: StackError | undefined = this; e; e = e.cause) if (e.code === code) return true;
    return false;
  }
}

export class ImageRefError extends StackError {}
export class RegistriesConfError extends StackError {}
export class ShortNameError extends StackError {}
export class PolicyError extends StackError {}
export class AuthError extends StackError {}
export class TransportError extends StackError {}
export class RegistryApiError extends StackError {}
export class SignatureError extends StackError {}
export class ClusterObjectError extends StackError {}
export class RuntimeError extends StackError {}

type Family = new (code: string, message: string, cause?: StackError) => StackError;

/** Builds an error of a family from a template. */
export function fail<F extends Family>(family: F, code: TemplateCode, ...args: unknown[]): InstanceType<F> {
  return new family(code, text(code, ...args)) as InstanceType<F>;
}

/** For a catch that handles the stack's errors only: returns one, rethrows anything else (a bug, not a Go error). */
export function asStackError(e: unknown): StackError {
  if (e instanceof StackError) return e;
  throw e;
}

/** Go's fmt.Errorf("…: %w"): a template whose last %s/%v is the inner error's text. */
export function wrap<F extends Family>(family: F, code: TemplateCode, inner: StackError, ...args: unknown[]): InstanceType<F> {
  return new family(code, text(code, ...args, inner.message), inner) as InstanceType<F>;
}

/**
 * pullsim's own input is wrong (scenario file, command line): exit 2, one clear line naming the
 * file, line or key, what is wrong and what is accepted. Never a stack trace.
 */
export class InputError extends Error {
  constructor(message: string, readonly file?: string, readonly line?: number, readonly key?: string) {
    super(message);
    this.name = 'InputError';
  }

  format(): string {
    const where = [this.file, this.line !== undefined ? `line ${this.line}` : undefined, this.key ? `key ${this.key}` : undefined]
      .filter(Boolean)
      .join(', ');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

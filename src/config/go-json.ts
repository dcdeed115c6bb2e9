// TEMPORARY: replaced by the Go encoding/json-exact parser (issue 3). Interface is stable.
export class GoJsonSyntaxError extends Error {}

/** Parses JSON like Go's encoding/json; a syntax error throws GoJsonSyntaxError with Go's exact text. */
export function parseGoJson(src: string): unknown {
  try {
    return JSON.parse(src);
  } catch (e) {
    throw new GoJsonSyntaxError((e as Error).message);
  }
}

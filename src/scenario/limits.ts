/**
 * Bounds on a scenario file, so hostile or broken input stops with one line instead of exhausting
 * memory or the stack (docs/scenario-format.md lists them). Generous for real scenarios: the
 * bundled ones stay far below each.
 */
export const SCENARIO_LIMITS = {
  /** Bytes in one scenario file. */
  fileBytes: 4 * 1024 * 1024,
  /** Maps and lists nested inside each other, counting the top-level map. */
  depth: 64,
  /** Aliases (`*name`) in one file; the YAML library also bounds how far they expand. */
  aliases: 100,
  /** Characters in one string value: names, hosts, images, expected errors. */
  stringChars: 4096,
  /** Characters in a long text: node file contents and `description`. */
  textChars: 1024 * 1024,
} as const;

/** Documented in --help and the README; findings and usage errors never share a code. */
export const EXIT = {
  ok: 0,
  /** A finding named by --fail-on was present. */
  findings: 1,
  /** A usage mistake or unreadable input: one line on stderr. */
  usage: 2,
  /** A bug in dnstrace: the stack trace is printed. */
  internal: 3,
  /** The analysis needed more heap than its limit (DNSTRACE_MAX_HEAP_MB) allows: one line on stderr. */
  outOfMemory: 4,
} as const;

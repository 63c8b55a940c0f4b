/** A mistake the user can fix (a bad option, a file that cannot be read or written): one line on stderr, exit code 2. */
export class UsageError extends Error {}

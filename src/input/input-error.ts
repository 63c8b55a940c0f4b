/**
 * A problem with the input as a whole that ends the run (no such file, not a capture, a
 * header cut short): the CLI prints its message as one line and exits with the input-error code.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

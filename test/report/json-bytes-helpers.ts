import { JsonBytes } from '../../src/report/json-bytes.js';

/** What `write` puts through a JsonBytes, as one string. */
export function written(write: (out: JsonBytes) => void): string {
  const pieces: Uint8Array[] = [];
  const out = new JsonBytes((bytes) => pieces.push(bytes));
  write(out);
  out.flush();
  return Buffer.concat(pieces).toString('utf8');
}

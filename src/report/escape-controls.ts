/**
 * Characters that must never reach a reader as themselves, whatever the medium: C0 and C1
 * controls and DEL (ESC starts terminal escape sequences, CR/LF break lines and table rows),
 * Unicode line and paragraph separators, bidirectional overrides and isolates (the "Trojan
 * Source" reordering trick, CVE-2021-42574), zero-width characters that hide text, the BOM,
 * and lone UTF-16 surrogates (what invalid UTF-8 can become). Each is shown as a visible escape.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Unsafe characters as `\xNN` (up to 0xff) or `\u{NNNN}`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Typography in our own texts (finding titles), given an ASCII form rather than an escape. */
const ASCII_FORMS: Record<string, string> = { '→': '->', '–': '-', '—': '-', '…': '...', '‘': "'", '’': "'", '“': '"', '”': '"' };

/**
 * Everything but printable ASCII escaped: for terminals, where width must be exact and nothing
 * may be interpreted. A few typographic characters become their ASCII forms instead.
 */
export function escapeToAscii(text: string): string {
  let out = '';
  for (const ch of text) {
    const ascii = ASCII_FORMS[ch];
    if (ascii !== undefined) {
      out += ascii;
      continue;
    }
    const c = ch.codePointAt(0) as number;
    out += c >= 0x20 && c < 0x7f ? ch : escapeChar(ch);
  }
  return out;
}

function escapeChar(ch: string): string {
  const c = ch.codePointAt(0) as number;
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16)}}`;
}

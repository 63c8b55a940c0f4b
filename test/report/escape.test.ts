import { describe, expect, it } from 'vitest';
import { escapeControls, escapeToAscii } from '../../src/report/escape-controls.js';
import { code, fenced, md } from '../../src/report/markdown-escape.js';
import { mermaidText } from '../../src/report/mermaid-sequence.js';

describe('escaping capture strings', () => {
  it('shows ESC, newline, CR, BEL, DEL and C1 controls as \\xNN', () => {
    expect(escapeControls('a\x1b[31mb\nc\rd\x07e\x7ff\x9bg')).toBe('a\\x1b[31mb\\x0ac\\x0dd\\x07e\\x7ff\\x9bg');
  });

  it('shows bidi overrides, zero-width characters and lone surrogates as \\u{…}', () => {
    expect(escapeControls('a\u202eb\u200bc\u2066d\ud800e\udc00f')).toBe('a\\u{202e}b\\u{200b}c\\u{2066}d\\u{d800}e\\u{dc00}f');
  });

  it('keeps a valid surrogate pair and ordinary non-ASCII text', () => {
    expect(escapeControls('é😀')).toBe('é😀');
  });

  it('escapes everything but printable ASCII for the terminal', () => {
    expect(escapeToAscii('ok é\x1b😀')).toBe('ok \\xe9\\x1b\\u{1f600}');
  });

  it('escapes table pipes, backticks, emphasis, links, HTML and math in markdown text', () => {
    expect(md('a|b`c*d_e[f](g)<script>&h#~$!')).toBe('a\\|b\\`c\\*d\\_e\\[f\\](g)&lt;script&gt;&amp;h\\#\\~\\$\\!');
  });

  it('escapes a leading list, heading-underline or ordered-list marker', () => {
    expect([md('- x'), md('+ x'), md('=== x'), md('12. x'), md('3) x')]).toEqual(['\\- x', '\\+ x', '\\=== x', '12\\. x', '3\\) x']);
  });

  it('writes plain names as inline code and anything else as escaped text', () => {
    expect(code('blog.mosuke.tech')).toBe('`blog.mosuke.tech`');
    expect(code('a`b')).toBe('a\\`b');
    expect(code('')).toBe('');
  });

  it('fences a block with more backticks than any run inside it', () => {
    expect(fenced('a ````` b\nc\x1bd', 'yaml')).toEqual(['``````yaml', 'a ````` b', 'c\\x1bd', '``````']);
    expect(fenced('plain')).toEqual(['```', 'plain', '```']);
  });

  it('writes Mermaid text with entity codes for every character Mermaid or HTML could read', () => {
    expect(mermaidText('A? x;y#z<b>%%`\n')).toBe('A? x#59;y#35;z#60;b#62;#37;#37;#96;#10;');
  });
});

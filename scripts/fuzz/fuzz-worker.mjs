/**
 * Runs one input at a time through the built pipeline and renderers (dist/), in a worker thread
 * so that the campaign can kill it when an input hangs or exhausts its memory limit.
 * Replies { outcome: 'report' | 'input-error' } or { outcome: 'crash' | 'unsound', detail }.
 */
import { parentPort } from 'node:worker_threads';

const dist = new URL('../../dist/', import.meta.url);
const { analyze } = await import(new URL('pipeline.js', dist).href);
const { InputError } = await import(new URL('input/input-error.js', dist).href);
const { renderMarkdown } = await import(new URL('report/render-markdown.js', dist).href);
const { renderJson } = await import(new URL('report/render-json.js', dist).href);

/** The accounting guarantee of issue 8: every frame or line in exactly one bucket. */
function checkReport(r) {
  const a = r.summary.frameAccounting;
  const sum = a.dns + a.notDns + a.malformed + a.truncated + a.unsupportedLinkType + a.ipFragmentsPending;
  if (sum !== a.frames) return `frame accounting adds up to ${sum}, not ${a.frames}: ${JSON.stringify(a)}`;
  for (const an of r.anomalies) {
    if (an.frame !== null && (an.frame < 1 || an.frame > a.frames + 1)) return `anomaly names frame ${an.frame} of ${a.frames}`;
  }
  const md = renderMarkdown(r, { top: 20 });
  const control = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.exec(md);
  if (control) {
    const line = md.slice(md.lastIndexOf('\n', control.index) + 1, md.indexOf('\n', control.index));
    return `markdown holds a control character\n${JSON.stringify(line)}`;
  }
  JSON.parse(renderJson(r));
  return null;
}

parentPort.on('message', async ({ bytes, chunk }) => {
  const input = new Uint8Array(bytes);
  try {
    const chunks = (async function* () {
      for (let at = 0; at < input.length; at += chunk) yield input.subarray(at, at + chunk);
    })();
    const report = await analyze({ name: 'fuzz', chunks });
    const problem = checkReport(report);
    parentPort.postMessage(problem ? { outcome: 'unsound', detail: problem } : { outcome: 'report' });
  } catch (e) {
    if (e instanceof InputError) parentPort.postMessage({ outcome: 'input-error' });
    else parentPort.postMessage({ outcome: 'crash', detail: e && e.stack ? e.stack : String(e) });
  }
});

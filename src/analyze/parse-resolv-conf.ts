import type { AaaaMode } from '../model.js';
import type { ResolverOverrides } from './resolver-profile-inferrer.js';

/** What a resolv.conf line could not say; the caller reports these as warnings. */
export interface ResolvConf {
  overrides: ResolverOverrides;
  problems: string[];
}

/**
 * Reads /etc/resolv.conf as glibc does (resolv.conf(5)): `nameserver`, `search` (the last
 * `search` or `domain` line wins), `options ndots:n timeout:n attempts:n single-request
 * single-request-reopen`; `#` and `;` start comments; unknown keywords and options are ignored.
 */
export function parseResolvConf(text: string, origin: string): ResolvConf {
  const o: ResolverOverrides = { origin: {} };
  const problems: string[] = [];
  const nameservers: string[] = [];
  const set = (field: keyof ResolverOverrides) => ((o.origin as Record<string, string>)[field] = origin);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (line === '') return;
    const [key, ...args] = line.split(/\s+/);
    if (key === 'nameserver' && args[0]) nameservers.push(args[0]);
    else if (key === 'search' || key === 'domain') {
      o.searchList = args.map((s) => s.replace(/\.$/, '').toLowerCase()).filter((s) => s !== '');
      set('searchList');
    } else if (key === 'options') {
      for (const opt of args) {
        const [name, value] = opt.split(':');
        const n = Number(value);
        if ((name === 'ndots' || name === 'timeout' || name === 'attempts') && !(Number.isInteger(n) && n >= 0)) {
          problems.push(`line ${i + 1}: options ${opt}: not a whole number`);
          continue;
        }
        // glibc caps ndots at 15, timeout at 30 s and attempts at 5 (resolv.conf(5)).
        if (name === 'ndots') (o.ndots = Math.min(n, 15)), set('ndots');
        else if (name === 'timeout') (o.timeoutMs = Math.min(n, 30) * 1000), set('timeoutMs');
        else if (name === 'attempts') (o.attempts = Math.min(n, 5)), set('attempts');
        else if (name === 'single-request' || name === 'single-request-reopen') {
          o.aaaaMode = (name === 'single-request' ? 'serial' : 'serial-reopen') as AaaaMode;
          set('aaaaMode');
        }
      }
    }
  });
  if (nameservers.length > 0) {
    o.nameservers = nameservers;
    set('nameservers');
  }
  return { overrides: o, problems };
}

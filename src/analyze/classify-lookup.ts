import type { LookupKind } from '../model.js';

export interface LookupShape {
  /** The name as the application wrote it. */
  base: string;
  answeredName: string | null;
  firstStepName: string;
  /** The suffix that answered (null for the name as written). */
  suffix: string | null;
  wastedQueries: number;
  cname: string | null;
}

/** `<svc>.<ns>.svc.<zone>`: a Service name. */
const SERVICE_RE = /^[^.]+\.[^.]+\.svc\.(.+)$/;

/**
 * Tells apart the answers that take one round trip with a CNAME:
 * - an ExternalName Service answers `<svc>.<ns>.svc.<zone>` with a CNAME to an arbitrary name
 *   outside the cluster zone (Kubernetes' ExternalName, served by CoreDNS or kube-dns);
 * - CoreDNS `autopath` answers the first search step with a CNAME to the name as written (the
 *   queried name minus the first suffix), having walked the search list on the server's side;
 * - anything else with a CNAME is a plain CNAME.
 * Without a CNAME, a lookup that wasted queries is a search expansion, else a direct answer.
 */
export function classifyLookup(s: LookupShape): LookupKind {
  if (s.answeredName !== null && s.cname !== null) {
    if (s.suffix !== null && s.answeredName === s.firstStepName && s.cname === s.base) return 'autopath';
    const service = SERVICE_RE.exec(s.answeredName);
    if (service && s.cname !== service[1] && !s.cname.endsWith(`.${service[1]}`)) return 'externalname';
  }
  if (s.wastedQueries > 0) return 'search-expansion';
  return s.cname !== null ? 'cname' : 'direct';
}

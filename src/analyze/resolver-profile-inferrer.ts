import type { AaaaMode, ResolverProfile, Transaction } from '../model.js';
import { MAX_CLIENTS, RECENT_NAMES_PER_CLIENT } from './analysis-limits.js';
import { firstLabel } from './lookup-index.js';
import { countDots, isLabelExtension } from './name-labels.js';

/** What the command line (or a resolv.conf given with --resolv-conf) says; it wins over inference. */
export interface ResolverOverrides {
  searchList?: string[];
  ndots?: number;
  namespace?: string;
  nameservers?: string[];
  timeoutMs?: number;
  attempts?: number;
  aaaaMode?: AaaaMode;
  /** Where each given value came from, by field name; "given on the command line" when absent. */
  origin?: Partial<Record<string, string>>;
}

/** kubelet writes ndots:5 into every pod's resolv.conf. */
const KUBERNETES_NDOTS = 5;

/** `<ns>.svc.<zone>`: the first suffix of a pod's search list. */
const POD_SUFFIX_RE = /^([a-z0-9-]+)\.svc\.([a-z0-9.-]+)$/;

const NEGATIVE = new Set(['NXDOMAIN', 'SERVFAIL', 'REFUSED']);

interface Kubernetes {
  namespace: string;
  zone: string;
  /** "walk" when a walk showed `<ns>.svc.<zone>` as a suffix; else the one name it was read from. */
  from: string;
  confirmed: boolean;
}

interface ClientState {
  /**
   * The last RECENT_NAMES_PER_CLIENT distinct names asked (their first queries), in a ring from
   * `recentStart`, with the first label of each; `recentNames` holds the same names.
   */
  recent: Transaction[];
  recentLabels: string[];
  recentStart: number;
  recentNames: Set<string>;
  /**
   * `recent` by the first label of the name, each list oldest first: a name and its relatives in
   * a walk (`x`, `x.s1`) share their first label, so a new name is compared with those only.
   */
  recentByLabel: Map<string, Transaction[]>;
  /**
   * The recent names the lookup builder placed as written after the suffixes of their walk (see
   * observeWalkEnd). Such a name followed by the name with the first suffix is the next lookup's
   * walk starting, not the name tried as written first.
   */
  walkEnds: Set<Transaction>;
  walked: string[];
  /** searchList() of this client as composed last; null after what it is composed of changed. */
  searchList: string[] | null;
  kubernetes: Kubernetes | null;
  /** ndots is above this: a name with this many dots was tried with the suffixes first. */
  ndotsAbove: number;
  ndotsAboveName: string | null;
  /** ndots is at most this: a name with this many dots was tried as written before the suffixes. */
  ndotsAtMost: number;
  ndotsAtMostName: string | null;
  nameservers: string[];
  /** The server endpoint of the client's last query. */
  lastServer: string | null;
  /** The name of the client's last query: still among the recent names, since nothing was added after it. */
  lastName: string | null;
  steps: Record<AaaaMode, number>;
  gaps: Map<number, number>;
  /** The most common of `gaps` (the fewer milliseconds of a tie): the resolver's timeout; null before a resend. */
  gapMs: number | null;
  maxSends: number;
}

/**
 * Infers each client's resolv.conf incrementally, from the queries as they stream in, so that the
 * lookup builder can use the search list while the walk is still going. Why incremental and not
 * "buffer per client until known": a pod shows its namespace and cluster domain in its very first
 * query (`<name>.<ns>.svc.<zone>`), which gives the first three suffixes at once; further suffixes
 * (a node domain) show when a walk reaches the name as written, and the lookup builder re-reads the
 * list when it closes a lookup, so a lookup built before the list was complete is still right.
 * Buffering would hold a client's traffic for as long as the list is unknown, which for a client
 * that never walks is forever.
 */
export class ResolverProfileInferrer {
  private readonly clients = new Map<string, ClientState>();
  /** Clients not tracked because MAX_CLIENTS was reached. */
  untracked = 0;
  /** The client state() gave last (clients are never forgotten, so it stays right). */
  private lastClient = '';
  private last: ClientState | null = null;

  constructor(private readonly overrides: ResolverOverrides = {}) {}

  /** Call for every query, in capture order. */
  observeQuery(tx: Transaction): void {
    if (tx.name === null || tx.queryFrame === null) return;
    const st = this.state(tx.clientHost);
    if (!st) {
      // Counted here only: resends and steps of the same query ask for the state again.
      this.untracked++;
      return;
    }
    // A client asks one server, or a few in turn: the same endpoint as last time changes nothing.
    if (tx.server !== st.lastServer) {
      st.lastServer = tx.server;
      const server = tx.serverHost;
      if (!st.nameservers.includes(server) && st.nameservers.length < 16) st.nameservers.push(server);
    }
    // The last name asked is still recent (only a new name makes one go): no look-up for the AAAA after the A.
    if (tx.name === st.lastName) return;
    st.lastName = tx.name;
    if (st.recentNames.has(tx.name)) return;
    const label = firstLabel(tx.name);
    const relatives = st.recentByLabel.get(label);
    if (relatives !== undefined) this.learnFromWalk(st, tx, relatives);
    if (!st.kubernetes) {
      st.kubernetes = readPodSuffix(tx.name);
      if (st.kubernetes) st.searchList = null;
    }
    const at = (st.recentStart + st.recentNames.size) % RECENT_RING;
    st.recent[at] = tx;
    st.recentLabels[at] = label;
    st.recentNames.add(tx.name);
    if (relatives !== undefined) relatives.push(tx);
    else st.recentByLabel.set(label, [tx]);
    if (st.recentNames.size > RECENT_NAMES_PER_CLIENT) forgetOldest(st);
  }

  /** A query was sent again after `gapUs` (same id, or a new id after a timeout); `sends` so far. */
  observeResend(client: string, gapUs: number, sends: number): void {
    const st = this.state(client);
    if (!st) return;
    // Resolver timeouts are whole seconds in glibc and dig, 2.5 s in musl: 100 ms is fine enough.
    const gap = Math.round(gapUs / 100_000) * 100;
    st.gaps.set(gap, (st.gaps.get(gap) ?? 0) + 1);
    st.gapMs = commonestGap(st.gaps);
    st.maxSends = Math.max(st.maxSends, sends);
  }

  /**
   * How long the client waits for an answer after a send, as known now: given, or the gap its
   * resends showed (glibc's and dig's 5 s, musl's 2.5 s: timeout divided by attempts); null when
   * neither.
   */
  timeoutMs(client: string): number | null {
    if (this.overrides.timeoutMs !== undefined) return this.overrides.timeoutMs;
    return this.known(client)?.gapMs ?? null;
  }

  /**
   * The lookup builder placed `tx`, a name as written, after the suffixes of its walk: it ended
   * a walk, whatever the client asks next. (The builder knows: the walk's first steps may be
   * long out of the recent names when the name as written comes 5 s after a lost answer.)
   */
  observeWalkEnd(tx: Transaction): void {
    const st = this.known(tx.clientHost);
    const relatives = st?.recentByLabel.get(firstLabel(tx.name as string));
    if (st === undefined || relatives === undefined) return;
    // The name's entry among the recent names: this query, or an earlier one of the same name.
    for (let i = 0; i < relatives.length; i++) if (relatives[i].name === tx.name) st.walkEnds.add(relatives[i]);
  }

  /** How the A and AAAA of one step of a lookup left (the lookup builder reads it). */
  observeStep(client: string, mode: AaaaMode): void {
    const st = this.state(client);
    if (st) st.steps[mode]++;
  }

  /**
   * The search list as known now; overrides win. Do not change the array: it is kept until the
   * list changes and shared by every client with the same list (the lookup builder caches what it
   * derives from it by the array).
   */
  searchList(client: string): string[] {
    const st = this.known(client);
    return st ? this.listOf(st) : (this.overrides.searchList ?? NO_SEARCH_LIST);
  }

  private listOf(st: ClientState): string[] {
    if (this.overrides.searchList) return this.overrides.searchList;
    if (st.searchList === null) st.searchList = this.sharedList(composeSearchList(st, this.overrides.namespace));
    return st.searchList;
  }

  /** Search lists by their suffixes: clients with the same list get the same array. */
  private readonly lists = new Map<string, string[]>();

  private sharedList(list: string[]): string[] {
    // Length-prefixed: a suffix from the wire may hold any character.
    let key = '';
    for (const s of list) key += `${s.length}:${s}`;
    const known = this.lists.get(key);
    if (known) return known;
    // Bounded like the clients: a list is composed again (and shared anew) after a clear.
    if (this.lists.size >= MAX_CLIENTS) this.lists.clear();
    this.lists.set(key, list);
    return list;
  }

  /** ndots as known now: given, the Kubernetes default for a pod, or the least value the walks prove. */
  ndots(client: string): number | null {
    if (this.overrides.ndots !== undefined) return this.overrides.ndots;
    const st = this.known(client);
    if (!st) return null;
    // A walk that tried a dotted name as written before its suffixes proves a low ndots (a pod
    // whose dnsConfig lowered it), which beats the Kubernetes default.
    if (st.ndotsAtMostName !== null) return st.ndotsAtMost;
    if (st.kubernetes) return KUBERNETES_NDOTS;
    return st.ndotsAboveName !== null ? st.ndotsAbove + 1 : null;
  }

  profiles(): ResolverProfile[] {
    return [...this.clients.entries()].map(([client, st]) => this.profileOf(client, st)).sort((a, b) => a.client.localeCompare(b.client));
  }

  private profileOf(client: string, st: ClientState): ResolverProfile {
    const o = this.overrides;
    const sources: Record<string, string> = {};
    const given = (field: string) => o.origin?.[field] ?? 'given on the command line';
    const k = st.kubernetes;

    let namespace = k?.namespace ?? null;
    const clusterDomain = k?.zone ?? null;
    if (k) {
      const how = k.confirmed ? `inferred from the search suffix ${k.namespace}.svc.${k.zone} walked before the name as written` : `assumed from the query for ${k.from}`;
      sources.namespace = how;
      sources.clusterDomain = how;
    }
    if (o.namespace !== undefined) {
      namespace = o.namespace;
      sources.namespace = given('namespace');
    }

    const searchList = o.searchList ? o.searchList : [...this.searchList(client)];
    if (o.searchList) sources.searchList = given('searchList');
    else if (searchList.length > 0) {
      sources.searchList =
        st.walked.length > 0
          ? 'inferred from names queried with suffixes and then as written'
          : 'inferred from the Kubernetes namespace (the pod default: <ns>.svc.<zone> svc.<zone> <zone>)';
    }

    let ndots: number | null = null;
    if (o.ndots !== undefined) {
      ndots = o.ndots;
      sources.ndots = given('ndots');
    } else if (st.ndotsAtMostName !== null) {
      ndots = st.ndotsAtMost;
      sources.ndots = `inferred: ${st.ndotsAtMostName} (${st.ndotsAtMost} dot${st.ndotsAtMost === 1 ? '' : 's'}) was tried as written before the search suffixes, so ndots is at most ${ndots}`;
    } else if (k) {
      ndots = KUBERNETES_NDOTS;
      sources.ndots = 'assumed: the Kubernetes default for pods';
    } else if (st.ndotsAboveName !== null) {
      ndots = st.ndotsAbove + 1;
      sources.ndots = `inferred: ${st.ndotsAboveName} (${st.ndotsAbove} dots) was tried with the search suffixes first, so ndots is at least ${ndots}`;
    }

    let nameservers = st.nameservers;
    if (o.nameservers) {
      nameservers = o.nameservers;
      sources.nameservers = given('nameservers');
    } else if (nameservers.length > 0) sources.nameservers = 'the servers the client sent queries to, in order of first use';

    let aaaaMode = modeOf(st.steps);
    if (o.aaaaMode) {
      aaaaMode = o.aaaaMode;
      sources.aaaaMode = given('aaaaMode');
    } else if (aaaaMode) sources.aaaaMode = `inferred from ${stepCount(st.steps)} search step${stepCount(st.steps) === 1 ? '' : 's'}`;

    let timeoutMs: number | null = null;
    if (o.timeoutMs !== undefined) {
      timeoutMs = o.timeoutMs;
      sources.timeoutMs = given('timeoutMs');
    } else if (st.gapMs !== null) {
      const gap = st.gapMs;
      const n = st.gaps.get(gap) as number;
      timeoutMs = gap;
      sources.timeoutMs = `inferred from ${n} resend${n === 1 ? '' : 's'} ${gap} ms after the previous send`;
    }
    let attempts: number | null = null;
    if (o.attempts !== undefined) {
      attempts = o.attempts;
      sources.attempts = given('attempts');
    } else if (st.maxSends > 1) {
      attempts = st.maxSends;
      sources.attempts = `inferred: one query was sent ${st.maxSends} times`;
    }
    return { client, searchList, ndots, namespace, clusterDomain, nameservers, aaaaMode, timeoutMs, attempts, sources };
  }

  /** The state of `client` if it has one (none is made). */
  private known(client: string): ClientState | undefined {
    return client === this.lastClient && this.last !== null ? this.last : this.clients.get(client);
  }

  private state(client: string): ClientState | null {
    // A client's queries come in runs (a walk's steps, A and AAAA): the last one asked for first.
    if (client === this.lastClient && this.last !== null) return this.last;
    let st = this.clients.get(client);
    if (st) {
      this.lastClient = client;
      this.last = st;
      return st;
    }
    if (this.clients.size >= MAX_CLIENTS) return null;
    st = {
      recent: [],
      recentLabels: [],
      recentStart: 0,
      recentNames: new Set(),
      recentByLabel: new Map(),
      walkEnds: new Set(),
      walked: [],
      searchList: null,
      kubernetes: null,
      ndotsAbove: -1,
      ndotsAboveName: null,
      ndotsAtMost: Number.POSITIVE_INFINITY,
      ndotsAtMostName: null,
      nameservers: [],
      lastServer: null,
      lastName: null,
      steps: { parallel: 0, serial: 0, 'serial-reopen': 0, 'a-only': 0 },
      gaps: new Map(),
      gapMs: null,
      maxSends: 0,
    };
    this.clients.set(client, st);
    return st;
  }

  /**
   * A walk shows its suffixes: `x.s1`, `x.s2` (each negative) and then `x` means s1 and s2 are on
   * the search list, in that order (glibc and musl walk it in order). The reverse, `x` negative and
   * then `x.s1`, is a name with enough dots tried as written first, unless that `x` came after its
   * suffixes: then it ended a walk, and `x.s1` starts the next lookup's.
   */
  private learnFromWalk(st: ClientState, tx: Transaction, relatives: readonly Transaction[]): void {
    const name = tx.name as string;
    // The relatives that show a suffix, and whether any is not on the walked list yet: most walks
    // show suffixes known already, and then only a Kubernetes suffix not yet confirmed is news.
    let shown = 0;
    let anyNew = false;
    for (let i = 0; i < relatives.length; i++) {
      const r = relatives[i];
      const rn = r.name as string;
      const extends_ = isLabelExtension(name, rn);
      if ((!extends_ && !isLabelExtension(rn, name)) || !isNegativeOrPending(r)) continue;
      // `x` answered negative and only then `x.s1`: the name as written went first, so it had
      // at least ndots dots (resolv.conf(5)); the suffix attempt after it proves it had no
      // trailing dot. A pending `x` proves nothing: another thread may have asked it.
      if (extends_) {
        if (r.responseTimeUs === null || (tx.queryTimeUs as number) < r.responseTimeUs || st.walkEnds.has(r)) continue;
        const dots = countDots(rn);
        if (dots > 0 && dots < st.ndotsAtMost) {
          st.ndotsAtMost = dots;
          st.ndotsAtMostName = rn;
        }
        continue;
      }
      // Not a step of this walk: a name that ended a walk was asked as written (`postgres.payments`
      // is no suffix `payments` of `postgres`), and a name with a suffix already on the list
      // longer than this name is a step of its own base's walk (`api.stripe.com.<ns>.svc.cluster.local`
      // belongs to api.stripe.com, whatever `api` asks once its own walk gave up on a silent step).
      if (st.walkEnds.has(r) || stepOfLongerBase(this.listOf(st), rn, name.length)) continue;
      SHOWN[shown++] = rn;
      if (!anyNew && !hasSuffix(st.walked, rn, name.length + 1)) anyNew = true;
      const dots = countDots(name);
      if (dots > st.ndotsAbove) {
        st.ndotsAbove = dots;
        st.ndotsAboveName = name;
      }
    }
    if (shown === 0 || (!anyNew && st.kubernetes?.confirmed === true)) return;
    const learned: string[] = [];
    for (let i = 0; i < shown; i++) learned.push(SHOWN[i].slice(name.length + 1));
    SHOWN.fill('', 0, shown);
    if (mergeInOrder(st.walked, learned)) st.searchList = null;
    for (const s of learned) {
      const m = POD_SUFFIX_RE.exec(s);
      if (m && !st.kubernetes?.confirmed) {
        st.kubernetes = { namespace: m[1], zone: m[2], from: 'walk', confirmed: true };
        st.searchList = null;
      }
    }
  }
}

/** The names learnFromWalk read a suffix from (kept: one list for every call). */
const SHOWN: string[] = [];

/**
 * Whether `name`, which extends a base of `baseLength` characters, is rather a step of a longer
 * base: what follows the base is not on `list`, but `name` ends with a suffix that is.
 */
function stepOfLongerBase(list: readonly string[], name: string, baseLength: number): boolean {
  if (hasSuffix(list, name, baseLength + 1)) return false;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (name.length - s.length - 1 > baseLength && name.endsWith(s) && name.charCodeAt(name.length - s.length - 1) === 46) return true;
  }
  return false;
}

/** Whether `list` holds the suffix of `name` that starts at `from` (no slice made). */
function hasSuffix(list: readonly string[], name: string, from: number): boolean {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s.length === name.length - from && name.endsWith(s)) return true;
  }
  return false;
}

/** The recent names' ring: one more than are kept, for the newest before the oldest goes. */
const RECENT_RING = RECENT_NAMES_PER_CLIENT + 1;

/** Drops the oldest of the recent names. */
function forgetOldest(st: ClientState): void {
  const oldest = st.recent[st.recentStart];
  const label = st.recentLabels[st.recentStart];
  st.recentStart = (st.recentStart + 1) % RECENT_RING;
  st.recentNames.delete(oldest.name as string);
  st.walkEnds.delete(oldest);
  const list = st.recentByLabel.get(label) as Transaction[];
  // The oldest of all is the oldest of its label.
  list.shift();
  if (list.length === 0) st.recentByLabel.delete(label);
}

function isNegativeOrPending(tx: Transaction): boolean {
  if (tx.responseFrame === null) return true;
  if (tx.rcode !== null && NEGATIVE.has(tx.rcode)) return true;
  return tx.rcode === 'NOERROR' && tx.answerCount === 0;
}

const NO_SEARCH_LIST: string[] = [];

/** Adds the newly seen suffixes of one walk into the list, each after its predecessor in that walk; true when any was new. */
function mergeInOrder(list: string[], walk: readonly string[]): boolean {
  let added = false;
  let at = -1;
  for (const s of walk) {
    const i = list.indexOf(s);
    if (i >= 0) {
      at = i;
      continue;
    }
    list.splice(at + 1, 0, s);
    at++;
    added = true;
  }
  return added;
}

/** A single query `<name>.<ns>.svc.<zone>` (the zone ends in "local" or has a dot) suggests a pod's first suffix. */
function readPodSuffix(name: string): Kubernetes | null {
  const labels = name.split('.');
  const svc = labels.indexOf('svc', 2);
  if (svc < 2 || svc >= labels.length - 1) return null;
  const namespace = labels[svc - 1];
  const zone = labels.slice(svc + 1).join('.');
  if (!/^[a-z0-9-]+$/.test(namespace)) return null;
  return { namespace, zone, from: name, confirmed: false };
}

function composeSearchList(st: ClientState, namespaceOverride: string | undefined): string[] {
  const k = st.kubernetes;
  if (!k) return [...st.walked];
  const ns = namespaceOverride ?? k.namespace;
  const pod = [`${ns}.svc.${k.zone}`, `svc.${k.zone}`, k.zone];
  return [...pod, ...st.walked.filter((s) => !pod.includes(s) && !POD_SUFFIX_RE.test(s))];
}

function stepCount(steps: Record<AaaaMode, number>): number {
  return steps.parallel + steps.serial + steps['serial-reopen'] + steps['a-only'];
}

/**
 * glibc may send the AAAA after the A answer even in its default mode, so one overlapping step
 * proves "parallel"; "serial" needs every two-type step to be serial.
 */
function modeOf(steps: Record<AaaaMode, number>): AaaaMode | null {
  if (steps.parallel > 0) return 'parallel';
  if (steps['serial-reopen'] > 0) return 'serial-reopen';
  if (steps.serial > 0) return 'serial';
  if (steps['a-only'] > 0) return 'a-only';
  return null;
}

/** The gap seen most often, the shorter of a tie. */
function commonestGap(gaps: ReadonlyMap<number, number>): number | null {
  let best: number | null = null;
  let bestCount = 0;
  gaps.forEach((count, gap) => {
    if (count > bestCount || (count === bestCount && best !== null && gap < best)) {
      best = gap;
      bestCount = count;
    }
  });
  return best;
}

/**
 * Every kind of Finding dnstrace can report. The Record below makes the compiler demand a title,
 * an explanation and a remedy for each new kind (the arethetypeswrong habit).
 */
export type FindingKind =
  | 'search-path-waste'
  | 'search-path-waste-total'
  | 'five-second-delay'
  | 'misleading-nxdomain'
  | 'dead-nameserver'
  | 'silent-nameserver'
  | 'parallel-nameservers'
  | 'unanswered-queries'
  | 'servfail'
  | 'refused'
  | 'ignored-answers'
  | 'truncated-tcp'
  | 'nodata-midwalk'
  | 'externalname-caveat'
  | 'unexpected-responses'
  | 'server-latency';

export interface FindingKindInfo {
  title: string;
  /** Why it matters, in one sentence, for a reader who never saw the capture. */
  why: string;
  /** What to change, in general; each finding says it for its own names and numbers. */
  remedy: string;
}

export const FINDING_KINDS: Record<FindingKind, FindingKindInfo> = {
  'search-path-waste': {
    title: 'Search-path expansion wasted queries',
    why: 'Every name with fewer dots than ndots is first tried with each search suffix; each failed suffix is a round trip the application waits for.',
    remedy: 'Write the name fully qualified with a trailing dot, lower ndots in the pod dnsConfig, enable CoreDNS autopath, or use an ExternalName Service.',
  },
  'search-path-waste-total': {
    title: 'Search-path expansion in total',
    why: 'The waste of many names adds up to load on the cluster DNS and latency in every application.',
    remedy: 'Start with the names that waste most (listed in their own findings).',
  },
  'five-second-delay': {
    title: 'Lookups waited 5 seconds for a lost answer (the conntrack race)',
    why: 'glibc sends A and AAAA on one socket at once; when conntrack drops one of the two, the resolver waits its whole timeout (5 s) before resending it.',
    remedy: 'Add options single-request-reopen (glibc) to the pod dnsConfig, or run NodeLocal DNSCache so that pods talk to a local cache.',
  },
  'misleading-nxdomain': {
    title: 'A timeout or SERVFAIL became a misleading "name not found"',
    why: 'After a timeout glibc gives up the search list and tries the name as written; after a SERVFAIL glibc and Go walk on to it. Its NXDOMAIN is what the application is told, although the service may exist.',
    remedy: 'Fix the timeout or SERVFAIL on the suffix that failed; the application error is not the real cause.',
  },
  'dead-nameserver': {
    title: 'A nameserver is dead (ICMP port unreachable)',
    why: 'Nothing listens on the nameserver address; clients fail over to the next nameserver at once, so it costs little time but every lookup tries it first.',
    remedy: 'Remove the dead address from resolv.conf (or the pod dnsConfig) or bring the server back.',
  },
  'silent-nameserver': {
    title: 'A nameserver never answers',
    why: 'A silent nameserver costs the full timeout (5 s by default) on every lookup before the client tries the next one.',
    remedy: 'Remove the silent address from resolv.conf, or find what drops its traffic (firewall, network policy, a stopped server).',
  },
  'parallel-nameservers': {
    title: 'Queries went to every nameserver at once',
    why: 'A client that asks all its nameservers at once and takes the first answer (musl does) sends each query once per nameserver: every nameserver carries the whole load.',
    remedy:
      'If the DNS servers are loaded, list one nameserver in the pod (a node-local cache such as NodeLocal DNSCache at 169.254.20.10); the copies buy a quick way around a dead server, at that price.',
  },
  'unanswered-queries': {
    title: 'Queries went unanswered',
    why: 'A resolver waits its whole timeout (5 s by default in glibc) for each unanswered query before it retries or gives up.',
    remedy: 'Check that the server is reachable and answering (conntrack drops, packet loss, a server that drops these names).',
  },
  servfail: {
    title: 'Servers answered SERVFAIL',
    why: 'SERVFAIL means the server could not resolve the name; glibc retries it and then moves on, so the application may see a misleading result.',
    remedy:
      'Look at how long the server took. At once: its own failure (a zone that failed to load, DNSSEC validation, an upstream that refused or is unreachable, a failure it cached). After seconds: an upstream that does not answer.',
  },
  refused: {
    title: 'Servers answered REFUSED',
    why: 'REFUSED means the server will not answer this client at all (policy, not a failure); glibc asks its next nameserver, and with none left gives up the search list and tries the name as written, musl takes the answer of another nameserver, and with none ignores it and waits out its whole timeout, so the same cause fails one application at once and another after seconds.',
    remedy:
      "Look at the server's policy for these clients: an ACL that leaves them out (BIND allow-query or allow-recursion, CoreDNS acl, a DNS firewall), a view that does not match their address (after SNAT or from a new pod network), or a forwarder that will not recurse for the server.",
  },
  'ignored-answers': {
    title: 'Answers came from an address the client did not ask, and were dropped',
    why: 'A resolver takes an answer only from the address it sent the query to: glibc and musl drop any other and wait out their timeout, then ask again, so a lookup the capture shows answered in a millisecond takes seconds and may fail.',
    remedy:
      'Find why the reply does not come back from the address asked: a DNAT to a Service IP not undone on the way back (its conntrack entry lost or never made: a full conntrack table, a NOTRACK rule, the reply routed around the node that did the DNAT), or a server answering from another of its addresses (a multi-homed server, a node-local cache answering from its own address).',
  },
  'truncated-tcp': {
    title: 'Answers were truncated and asked again over TCP',
    why: 'A UDP answer too big for the client (512 bytes without EDNS) comes back truncated; the client asks again over TCP, paying a TCP handshake and a second round trip.',
    remedy: 'Return fewer records (fewer addresses behind one name), or let the client use EDNS (options edns0) for larger UDP answers.',
  },
  'nodata-midwalk': {
    title: 'A search suffix answered NODATA in the middle of a walk',
    why: 'NODATA (the name exists without this record type) lets glibc go on to the next suffix but stops musl and dig: the same name resolves in one image and fails in another.',
    remedy: 'Write the name fully qualified with a trailing dot, or remove the name that exists under the earlier suffix.',
  },
  'externalname-caveat': {
    title: 'ExternalName answers carry the Service name into HTTP Host and TLS SNI',
    why: 'The client connects to the external address but still sends the name it looked up, which the external server may not serve.',
    remedy: 'Make sure the external server accepts the Service name as Host and SNI, or set Host and SNI to the external name in the client.',
  },
  'unexpected-responses': {
    title: 'Duplicate or unsolicited responses',
    why: 'Responses with no query, or a second different response to one query, point to a capture that started late, a spoofing attempt, or a middlebox answering too.',
    remedy: 'Check whether the capture started mid-lookup; otherwise look for a second responder on the path.',
  },
  'server-latency': {
    title: 'Server latency',
    why: 'How fast each server answered (from the last send of each query to its answer), and the slowest answers.',
    remedy: 'Compare with what the server should do: warm cache answers take well under 1 ms on a node, a few ms across the cluster.',
  },
};

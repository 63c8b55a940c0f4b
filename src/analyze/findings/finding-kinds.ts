/**
 * Every kind of Finding dnstrace can report. The Record below makes the compiler demand a title
 * and an explanation for each new kind (the arethetypeswrong habit).
 */
export type FindingKind = 'search-path-waste' | 'externalname-caveat' | 'unanswered-queries' | 'servfail';

export interface FindingKindInfo {
  title: string;
  /** Why it matters, in one sentence, for a reader who never saw the capture. */
  why: string;
}

export const FINDING_KINDS: Record<FindingKind, FindingKindInfo> = {
  'search-path-waste': {
    title: 'Search-path expansion wasted queries',
    why: 'Every name with fewer dots than ndots is first tried with each search suffix; each failed suffix is a round trip the application waits for.',
  },
  'externalname-caveat': {
    title: 'ExternalName answers carry the Service name into HTTP Host and TLS SNI',
    why: 'The client connects to the external address but still sends the name it looked up, which the external server may not serve.',
  },
  'unanswered-queries': {
    title: 'Queries went unanswered',
    why: 'A resolver waits its whole timeout (5 s by default in glibc) for each unanswered query before it retries or gives up.',
  },
  servfail: {
    title: 'Servers answered SERVFAIL',
    why: 'SERVFAIL means the server could not resolve the name; glibc retries it and then moves on, so the application may see a misleading result.',
  },
};

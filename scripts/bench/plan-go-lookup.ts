/**
 * One application lookup as Go's own resolver sends it (the lab's go-*.pcap, Go 1.19): for each
 * search step the AAAA and the A leave at once, each from a socket of its own with an id of its
 * own, and every try takes a new id and a new socket. A query answered SERVFAIL is asked again at
 * once (0.1-0.4 ms, as go-servfail.pcap shows); one whose answer is lost is asked again after the
 * 5 s timeout (go-silent-name.pcap). Go tries each query twice (`attempts:2`); the second try is
 * always answered here, as the glibc model's resend is. After a step that gave no address the
 * walk goes on, a step that failed (SERVFAIL twice) or was never answered included: a silent
 * step's queries are asked again 5 s later with new ids, and given up 5 s after that
 * (go-silent-name.pcap); the application may look the name up again at once. A failed first nameserver gets
 * each query first: a dead one answers ICMP port unreachable and the query goes to the cluster
 * DNS at once with a new id (go-dead-first.pcap); a silent one makes it wait 5 s first.
 */
import { DNS_SERVER, NODE_CACHE, type NameEntry, type Pod, searchListOf } from './cluster-catalogue.js';
import type { Prng } from './create-prng.js';
import { GLIBC_TIMEOUT_US, inOutage } from './failure-options.js';
import { type LookupPlan, type PlanOptions, newTruth, pickPort, stepsOf, upstreamFails } from './plan-lookup.js';
import { latencyUs, queryMessage, responseMessage, servfailMessage } from './server-answers.js';
import type { CaptureFrame, UdpFrame } from './write-capture-frame.js';
import { RCODE, TYPE } from './write-dns-message.js';

/** Go's order: the AAAA usually leaves first, the A a few tens of microseconds later. */
const GO_TYPES = [TYPE.AAAA, TYPE.A];

export function planGoLookup(prng: Prng, pod: Pod, entry: NameEntry, startUs: number, opts: PlanOptions): LookupPlan {
  const steps = stepsOf(entry, searchListOf(pod.namespace));
  const frames: CaptureFrame[] = [];
  const truth = newTruth();
  let t = startUs;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (opts.silentRate !== undefined && opts.silentRate > 0 && prng.chance(opts.silentRate)) {
      t = planGoSilentStep(prng, pod, step.name, t, frames, truth);
      if (i === steps.length - 1) truth.outcome = 'timeout';
      else truth.wastedQueries += 4;
      continue;
    }
    let stepEnd = t;
    let stepQueries = 0;
    // The rcodes the step's queries got, as the analysis reads a step's outcome.
    let positive = false;
    let nxdomain = false;
    let servfail = false;
    GO_TYPES.forEach((qtype, k) => {
      let sendAt = k === 0 ? t : t + prng.int(20, 150);
      // Whether this try re-asks after a SERVFAIL (LookupTruth.retries); after a lost answer it
      // is a timeout retry, which the truth counts only as answered after a retry.
      let afterServfail = false;
      if (opts.firstServer !== undefined) {
        sendAt = askFirstServer(prng, opts.firstServer, pod, step.name, qtype, sendAt, frames, truth);
        stepQueries++;
      }
      for (let attempt = 0; attempt < 2; attempt++) {
        const port = pickPort(prng, pod, sendAt);
        const query = queryMessage(prng.int(0, 0xffff), step.name, qtype);
        frames.push({ timeUs: sendAt, src: pod.host, srcPort: port, dst: DNS_SERVER, dstPort: 53, ipId: prng.int(0, 0xffff), message: query });
        stepQueries++;
        truth.transactions++;
        if (afterServfail) truth.retries++;
        const failing = upstreamFails(opts.upstreamDown, step.name, sendAt);
        // Lost only on the first try (see above); a SERVFAIL comes back at once and is never lost.
        if (attempt === 0 && !failing && (prng.chance(opts.lossRate) || inOutage(opts.outage, sendAt))) {
          truth.unanswered++;
          const retryAt = sendAt + GLIBC_TIMEOUT_US + prng.int(0, 300);
          pod.busyPorts.set(port, retryAt);
          sendAt = retryAt;
          continue;
        }
        if (attempt > 0 || opts.firstServer !== undefined) truth.answeredAfterRetry++;
        const answeredAt = sendAt + (failing ? prng.int(40, 120) : latencyUs(prng, step.name));
        const response = failing ? servfailMessage(query) : responseMessage(query, step, entry);
        frames.push({ timeUs: answeredAt, src: DNS_SERVER, srcPort: 53, dst: pod.host, dstPort: port, ipId: prng.int(0, 0xffff), message: response });
        truth.responses++;
        pod.busyPorts.set(port, answeredAt + 1);
        stepEnd = Math.max(stepEnd, answeredAt);
        if (response.rcode === RCODE.NOERROR && response.answers.length > 0) positive = true;
        if (response.rcode === RCODE.NXDOMAIN) {
          truth.nxdomainResponses++;
          nxdomain = true;
        }
        if (!failing) break;
        servfail = true;
        afterServfail = true;
        sendAt = answeredAt + prng.int(100, 400);
      }
    });
    truth.queries += stepQueries;
    if (i < steps.length - 1) truth.wastedQueries += stepQueries;
    else truth.outcome = positive ? 'answered' : nxdomain ? 'nxdomain' : servfail ? 'servfail' : 'nxdomain';
    t = stepEnd + prng.int(15, 60);
  }
  if (truth.wastedQueries > 0) truth.kind = 'search-expansion';
  // Only its answer (the CNAME) shows a lookup was of an ExternalName Service; a silent one is direct.
  else if (entry.kind === 'externalname' && truth.outcome === 'answered') truth.kind = 'externalname';
  return { frames, truth, endUs: t };
}

/**
 * One query to the failed first server (its send is counted with the step's): gives when Go asks
 * the cluster DNS, with a new id from a new socket, at once after the ICMP error of a dead one
 * and 5 s later for a silent one.
 */
function askFirstServer(prng: Prng, first: 'silent' | 'dead', pod: Pod, name: string, qtype: number, t: number, frames: CaptureFrame[], truth: LookupPlan['truth']): number {
  const port = pickPort(prng, pod, t);
  const query: UdpFrame = { timeUs: t, src: pod.host, srcPort: port, dst: NODE_CACHE, dstPort: 53, ipId: prng.int(0, 0xffff), message: queryMessage(prng.int(0, 0xffff), name, qtype) };
  frames.push(query);
  truth.transactions++;
  truth.unanswered++;
  let nextAt: number;
  if (first === 'dead') {
    const icmpAt = t + prng.int(5, 20);
    frames.push({ timeUs: icmpAt, ipId: prng.int(0, 0xffff), quoted: query });
    nextAt = icmpAt + prng.int(20, 60);
  } else nextAt = t + GLIBC_TIMEOUT_US + prng.int(0, 300);
  pod.busyPorts.set(port, nextAt);
  return nextAt;
}

/**
 * A step whose AAAA and A are never answered: each sent, asked again 5 s later with a new id from
 * a new socket, given up 5 s after that. Returns when the walk's next step leaves.
 */
function planGoSilentStep(prng: Prng, pod: Pod, name: string, t: number, frames: CaptureFrame[], truth: LookupPlan['truth']): number {
  let givenUpAt = t;
  GO_TYPES.forEach((qtype, k) => {
    let at = k === 0 ? t : t + prng.int(20, 150);
    for (let attempt = 0; attempt < 2; attempt++) {
      const port = pickPort(prng, pod, at);
      frames.push({ timeUs: at, src: pod.host, srcPort: port, dst: DNS_SERVER, dstPort: 53, ipId: prng.int(0, 0xffff), message: queryMessage(prng.int(0, 0xffff), name, qtype) });
      const timesOutAt = at + GLIBC_TIMEOUT_US + prng.int(0, 300);
      pod.busyPorts.set(port, timesOutAt);
      at = timesOutAt;
    }
    givenUpAt = Math.max(givenUpAt, at);
  });
  truth.queries += 4;
  truth.transactions += 4;
  truth.unanswered += 4;
  return givenUpAt + prng.int(15, 60);
}

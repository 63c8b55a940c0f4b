#!/usr/bin/env python3
"""Count what each capture in a fixtures directory shows (via tshark): frames,
DNS queries and responses (UDP/TCP), rcodes, NODATA, truncated answers, ICMP.
Prints one markdown table row per capture, as used in fixtures/README.md."""
import gzip
import os
import subprocess
import sys
import tempfile

FIELDS = ["frame.number", "dns.flags.response", "dns.flags.rcode", "dns.count.answers",
          "dns.flags.truncated", "tcp.srcport", "icmp.type", "icmpv6.type", "dns.id"]


def rows(path):
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"]
                         + sum([["-e", f] for f in FIELDS], []), capture_output=True, text=True).stdout
    return [dict(zip(FIELDS, l.split("\t"))) for l in out.splitlines()]


def messages(r):
    """one dict per DNS message (a TCP segment may carry several); DNS quoted
    inside ICMP errors is not a message of its own"""
    out = []
    for x in r:
        if not x["dns.flags.response"] or x["icmp.type"] or x["icmpv6.type"]:
            continue
        per = {k: x[k].split(",") for k in ("dns.flags.response", "dns.flags.rcode", "dns.count.answers",
                                             "dns.flags.truncated", "dns.id")}
        for i in range(len(per["dns.flags.response"])):
            m = {k: (v[i] if i < len(v) else "") for k, v in per.items()}
            m["tcp.srcport"] = x["tcp.srcport"]
            out.append(m)
    return out


def stats(path):
    r = rows(path)
    dns = messages(r)
    q = [x for x in dns if x["dns.flags.response"] in ("0", "False")]
    a = [x for x in dns if x["dns.flags.response"] in ("1", "True")]
    rc = lambda n: sum(1 for x in a if x["dns.flags.rcode"] == n)
    nodata = sum(1 for x in a if x["dns.flags.rcode"] == "0" and x["dns.count.answers"] == "0"
                 and x["dns.flags.truncated"] not in ("1", "True"))
    return dict(frames=len(r), queries=len(q), responses=len(a), noerror=rc("0") - nodata, nodata=nodata,
                nxdomain=rc("3"), servfail=rc("2"),
                tc=sum(1 for x in a if x["dns.flags.truncated"] in ("1", "True")),
                tcp=sum(1 for x in dns if x["tcp.srcport"]),
                icmp=sum(1 for x in r if x["icmp.type"] or x["icmpv6.type"]))


def main(d):
    cols = ["frames", "queries", "responses", "noerror", "nodata", "nxdomain", "servfail", "tc", "tcp", "icmp"]
    print("| file | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for f in sorted(os.listdir(d)):
        if not (f.endswith(".pcap") or f.endswith(".pcapng") or f.endswith(".pcap.gz")):
            continue
        p = os.path.join(d, f)
        if f.endswith(".gz"):
            with tempfile.NamedTemporaryFile(suffix=".pcap") as t:
                t.write(gzip.open(p).read()); t.flush()
                s = stats(t.name)
        else:
            s = stats(p)
        print("| %s | %s |" % (f, " | ".join(str(s[c]) for c in cols)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fixtures")

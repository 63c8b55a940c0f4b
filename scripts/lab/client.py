#!/usr/bin/env python3
"""Client side of the fixture lab: make one real name lookup and record, as one
JSON line, exactly what the client printed or returned.

  client.py --log LOG getent ahosts|ahostsv4|ahostsv6 NAME
  client.py --log LOG gai NAME [--family AF_UNSPEC|AF_INET|AF_INET6] [--addrconfig]
  client.py --log LOG dig ARG...          (dig's own arguments, e.g. +search my-blog)
  client.py --log LOG go NAME             (Go's own resolver: $GOLOOKUP, see golookup/main.go)
  client.py --log LOG musl NAME           (musl's getaddrinfo: $MUSLLOOKUP, see musllookup/)
  client.py --log LOG threads SPEC.json    (concurrent getaddrinfo calls, see below)
  client.py --write-json LOG               (print the log as one JSON array)

SPEC.json for threads: {"threads": N, "calls": [{"name":..., "family":..., "addrconfig":bool,
"thread": i, "delay": seconds-after-start}, ...]}; each thread runs its calls in order.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

FAMILIES = {"AF_UNSPEC": socket.AF_UNSPEC, "AF_INET": socket.AF_INET, "AF_INET6": socket.AF_INET6}
EAI_NAMES = {getattr(socket, n): n for n in dir(socket) if n.startswith("EAI_")}


def now():
    return round(time.time(), 6)


def unique(seq):
    out = []
    for x in seq:
        if x not in out:
            out.append(x)
    return out


def do_getent(db, name):
    start = now()
    p = subprocess.run(["getent", db, name], capture_output=True, text=True)
    end = now()
    lines = [l.split() for l in p.stdout.splitlines() if l.strip()]
    rec = {
        "tool": "getent " + db,
        "name": name,
        "family": {"ahosts": "AF_UNSPEC", "ahostsv4": "AF_INET", "ahostsv6": "AF_INET6"}[db],
        "flags": ["AI_ADDRCONFIG", "AI_CANONNAME"] if db == "ahosts" else ["AI_CANONNAME"],
        "result": "ok" if p.returncode == 0 else "not found",
        "exit_code": p.returncode,
        "addresses": unique(l[0] for l in lines),
    }
    if lines and len(lines[0]) >= 3:
        rec["canonical_name"] = lines[0][2]
    rec.update(start=start, end=end, seconds=round(end - start, 3))
    return rec


def do_gai(name, family="AF_UNSPEC", addrconfig=False, thread=None):
    flags = socket.AI_ADDRCONFIG if addrconfig else 0
    start = now()
    try:
        res = socket.getaddrinfo(name, None, FAMILIES[family], socket.SOCK_STREAM, 0, flags)
        result, addrs, err = "ok", unique(r[4][0] for r in res), None
    except socket.gaierror as e:
        result, addrs, err = EAI_NAMES.get(e.args[0], str(e.args[0])), [], e.args[1]
    end = now()
    rec = {"tool": "python3 socket.getaddrinfo", "name": name, "family": family,
           "flags": ["AI_ADDRCONFIG"] if addrconfig else [], "result": result, "addresses": addrs}
    if err:
        rec["error"] = err
    if thread is not None:
        rec["thread"] = thread
    rec.update(start=start, end=end, seconds=round(end - start, 3))
    return rec


def do_dig(args):
    start = now()
    p = subprocess.run(["dig"] + args, capture_output=True, text=True)
    end = now()
    out = p.stdout
    status, question, answers, section = None, None, [], None
    for line in out.splitlines():
        if "->>HEADER<<-" in line and "status:" in line:
            status = line.split("status:")[1].split(",")[0].strip()
        elif line.startswith(";; QUESTION SECTION"):
            section = "q"
        elif line.startswith(";; ANSWER SECTION"):
            section = "a"
        elif line.startswith(";;") or not line.strip():
            section = None if not line.strip() else section
        elif section == "q" and line.startswith(";"):
            question = " ".join(line[1:].split())
        elif section == "a":
            answers.append(" ".join(line.split()))
    name = [a for a in args if not a.startswith("+") and not a.startswith("@") and not a.startswith("-")]
    rec = {"tool": "dig", "args": args, "name": name[-1] if name else None,
           "result": status if status else ("timeout" if "timed out" in out else "error"),
           "question": question, "answers": answers,
           "retried_over_tcp": "Truncated, retrying in TCP mode" in out,
           "exit_code": p.returncode}
    rec.update(start=start, end=end, seconds=round(end - start, 3))
    return rec


def run_json_client(env, tool, name, failed_result):
    """A lab client that prints one JSON line for NAME (golookup, musllookup): its addresses, or
    the error it gave; `failed_result` names the result of a call that failed."""
    start = now()
    p = subprocess.run([os.environ[env], name], capture_output=True, text=True)
    end = now()
    out = json.loads(p.stdout.splitlines()[0]) if p.stdout.strip() else {}
    rec = {"tool": tool, "name": name,
           "result": "ok" if p.returncode == 0 else failed_result(out), "addresses": out.get("addresses", [])}
    if out.get("error"):
        rec["error"] = out["error"]
    rec.update(start=start, end=end, seconds=round(end - start, 3))
    return rec


def do_go(name):
    return run_json_client("GOLOOKUP", "go net.Resolver LookupHost (pure Go)", name, lambda out: "error")


def do_musl(name):
    # musllookup also gives the EAI_* code, which the glibc clients record as their result.
    return run_json_client("MUSLLOOKUP", "musl getaddrinfo AF_UNSPEC (static)", name, lambda out: out.get("code", "error"))


def do_threads(spec_path):
    spec = json.load(open(spec_path))
    t0 = time.time()
    results, lock = [], threading.Lock()

    def worker(i):
        for c in [c for c in spec["calls"] if c["thread"] == i]:
            delay = t0 + c.get("delay", 0) - time.time()
            if delay > 0:
                time.sleep(delay)
            r = do_gai(c["name"], c.get("family", "AF_UNSPEC"), c.get("addrconfig", False), thread=i)
            with lock:
                results.append(r)

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(spec["threads"])]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sorted(results, key=lambda r: r["start"])


def main(argv):
    if argv[0] == "--write-json":
        recs = [json.loads(l) for l in open(argv[1]) if l.strip()]
        print(json.dumps(recs, indent=2))
        return 0
    assert argv[0] == "--log"
    log, tool, rest = argv[1], argv[2], argv[3:]
    if tool == "getent":
        recs = [do_getent(rest[0], rest[1])]
    elif tool == "gai":
        fam = rest[rest.index("--family") + 1] if "--family" in rest else "AF_UNSPEC"
        recs = [do_gai(rest[0], fam, "--addrconfig" in rest)]
    elif tool == "dig":
        recs = [do_dig(rest)]
    elif tool == "go":
        recs = [do_go(rest[0])]
    elif tool == "musl":
        recs = [do_musl(rest[0])]
    elif tool == "threads":
        recs = do_threads(rest[0])
    else:
        raise SystemExit("unknown tool " + tool)
    with open(log, "a") as f:
        for r in recs:
            f.write(json.dumps(r) + "\n")
            print("  %s %s %s -> %s %s (%.3f s)" % (r["tool"], r.get("name"), r.get("family", ""),
                  r["result"], " ".join(r.get("addresses", [])), r["seconds"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""bench.sh's memory row: the server's resident memory at rest, its peak during a burst of
concurrent sign-ins (each one Argon2 hash of 19 MiB), and again after the burst has settled.
Standard library only. Environment: SERVER_URL, SERVER_PID, SLUG, OWNER_EMAIL, OWNER_PASSWORD,
BENCH_MEMORY_SIGNINS (30: the per-client sign-in limit allows 30 in 10 minutes),
BENCH_MEMORY_SETTLE (30 seconds).

The Owner signs in once; the others sign in as addresses with no account: each of those costs the
same Argon2 hash (of a dummy), and one account could not take 30 at once (its failure limit counts
every attempt before the hash, so the 11th concurrent one would be refused without hashing)."""
import http.client, os, sys, threading, time, urllib.parse

from bench_common import row, say


def status_kib(pid, field):
    """A `VmRSS`-like line of /proc/PID/status, in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/{pid}/status")


def mb(kib):
    return f"{kib / 1024:.1f} MiB"


def sign_in(base, slug, email, password, statuses, expected):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    body = urllib.parse.urlencode({"slug": slug, "email": email, "password": password})
    conn.request("POST", "/api/sign_in", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": base,
        "Accept": "application/json"})
    statuses.append((conn.getresponse().status, expected))
    conn.close()


def main():
    base, pid = os.environ["SERVER_URL"], int(os.environ["SERVER_PID"])
    n = int(os.environ.get("BENCH_MEMORY_SIGNINS", "30"))
    settle = int(os.environ.get("BENCH_MEMORY_SETTLE", "30"))
    time.sleep(2)  # let start-up's allocations come to rest
    before = status_kib(pid, "VmRSS")
    say(f"{n} concurrent sign-ins; resting RSS {mb(before)}")
    statuses, threads = [], []
    for i in range(n):
        # The Owner: 200; a stranger: 422 "Invalid email or password", after its hash.
        who = ((os.environ["OWNER_EMAIL"], os.environ["OWNER_PASSWORD"], 200) if i == 0
               else (f"stranger-{i}@example.com", "not anybody's password", 422))
        email, password, expected = who
        t = threading.Thread(target=sign_in,
                             args=(base, os.environ["SLUG"], email, password, statuses, expected))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    peak = status_kib(pid, "VmHWM")
    say(f"peak RSS {mb(peak)}; waiting {settle} s")
    time.sleep(settle)
    after = status_kib(pid, "VmRSS")
    # A sign-in that raised left no status: it counts as an error too.
    errors = n - sum(1 for got, expected in statuses if got == expected)
    row(f"memory, {n} concurrent sign-ins", "`POST /api/sign_in`", f"RSS before: {mb(before)}",
        f"peak: {mb(peak)}", f"{settle} s after: {mb(after)}", "–", errors)
    print(f"NOTE: Memory row: the server's resident set (VmRSS) at rest, its high-water mark (VmHWM) "
          f"during {n} concurrent sign-ins (one Owner, {n - 1} addresses without an account; Argon2id, 19 MiB each, as many at once as there are "
          f"cores), and VmRSS {settle} s later, on a fresh server of its own.")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

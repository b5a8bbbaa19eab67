"""bench.sh's bulk rows (issue 20): one bulk action over BENCH_BULK_LEARNERS (10,000) learners,
"Select all N matching" on All Learners, on a fresh server of its own. The learners are written
straight into the SQLite file; then, signed in as the owner, revoke their access, give it back,
change their role and remove them, each one call of `bulk_learners` as the browser makes it: its
time, the server's peak memory (VmHWM, reset just before), and — to show other requests are not
held up — the slowest of the list requests a second connection makes every 50 ms meanwhile.
Standard library only. Environment: SERVER_URL, SERVER_PID, DB_PATH, SLUG, OWNER_EMAIL,
OWNER_PASSWORD, BENCH_BULK_LEARNERS."""
import json, os, sqlite3, threading, time

from bench_common import Client, owner_client, proc_status_mb, reset_peak, row, say

env = os.environ
n = int(env.get("BENCH_BULK_LEARNERS", "10000"))
pid = int(env["SERVER_PID"])

client = owner_client(env, timeout=600)
db = sqlite3.connect(env["DB_PATH"], timeout=30)
(academy,) = db.execute("SELECT id FROM academies WHERE slug = ?", (env["SLUG"],)).fetchone()
now = int(time.time() * 1000)
say(f"seeding {n:,} learners")
with db:
    db.executemany(
        "INSERT INTO users (academy_id, email, first_name, last_name, role, status, created_at) "
        "VALUES (?, ?, 'Bulk', ?, 'learner', 'active', ?)",
        ((academy, f"bulk{i}@bench.example", f"Learner {i}", now - i) for i in range(n)))
db.close()

# A second browser of the same owner, listing learners while the bulk action runs.
watcher = Client(env["SERVER_URL"], 60)
watcher.cookie = client.cookie
LIST = json.dumps({"query": {"search": "", "filter": "all", "page": 1, "team_id": None}})


def watch(stop, latencies):
    while not stop.is_set():
        started = time.perf_counter()
        status, _, _ = watcher.post("/api/list_learners", LIST)
        latencies.append((time.perf_counter() - started, status))
        time.sleep(0.05)


for label, action, filter_ in [
    ("revoke access", "RevokeAccess", ""),
    ("give access back", "GiveAccess", "deactivated"),
    ("change role to Learner-Analyst", {"SetRole": "learner_analyst"}, ""),
    # Last: it erases them (each person's name and email scrubbed from three tables).
    ("remove from the academy", "Remove", ""),
]:
    time.sleep(1)
    rss = proc_status_mb(pid, "VmRSS")
    reset = reset_peak(pid)
    stop, latencies = threading.Event(), []
    thread = threading.Thread(target=watch, args=(stop, latencies))
    thread.start()
    started = time.perf_counter()
    summary = client.call("/api/bulk_learners", {
        "selection": {"Matching": {"search": "bulk", "filter": filter_, "page": 1, "team_id": None}},
        "action": action,
    })
    took = time.perf_counter() - started
    stop.set()
    thread.join()
    peak = proc_status_mb(pid, "VmHWM")
    if summary["done"] != n:
        raise SystemExit(f"{label}: {summary} (expected {n} done)")
    worst = max(t for t, _ in latencies) if latencies else 0
    failed = sum(1 for _, s in latencies if s != 200)
    say(f"{label}: {n:,} learners in {took:.2f} s; {len(latencies)} list requests meanwhile, slowest {worst * 1000:.0f} ms")
    row(f"Bulk: {label}, {n:,} learners (select all matching)", "`POST /api/bulk_learners`",
        f"{n / took:,.0f} learners/s", f"all {took:.2f} s",
        f"{len(latencies)} list requests meanwhile: slowest {worst * 1000:.0f} ms, {failed} failed",
        f"peak RSS {peak:.0f} MB (before {rss:.0f} MB{'' if reset else ', peak since start'})", 0)

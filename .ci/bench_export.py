"""bench.sh's export rows (issue 20): "Export CSV" of All Learners and of Invites with
BENCH_EXPORT_ROWS (100,000) rows each, on a fresh server of its own. The rows (each learner in two
of 100 teams, each invitation for two teams) are written straight into the SQLite file, then each
file is downloaded as the owner's browser does (`GET /api/export/{learners,invites}.csv`): the time
to the first byte and to the last, the size, the lines, and the server's peak memory while it
writes (VmHWM, reset just before through /proc/PID/clear_refs) beside its RSS before.
Standard library only. Environment: SERVER_URL, SERVER_PID, DB_PATH, SLUG, OWNER_EMAIL,
OWNER_PASSWORD, BENCH_EXPORT_ROWS."""
import http.client, os, sqlite3, time, urllib.parse

from bench_common import FORM, owner_client, proc_status_mb, reset_peak, row, say

env = os.environ
n = int(env.get("BENCH_EXPORT_ROWS", "100000"))
pid = int(env["SERVER_PID"])


client = owner_client(env, timeout=600)
for i in range(100):
    client.call("/api/create_team", {"name": f"Export team {i:03d}", "color": "Teal"}, FORM)
db = sqlite3.connect(env["DB_PATH"], timeout=30)
(academy,) = db.execute("SELECT id FROM academies WHERE slug = ?", (env["SLUG"],)).fetchone()
teams = [r[0] for r in db.execute("SELECT id FROM teams WHERE academy_id = ?", (academy,))]
now = int(time.time() * 1000)
say(f"seeding {n:,} learners and {n:,} invitations")
with db:
    db.executemany(
        "INSERT INTO users (academy_id, email, first_name, last_name, role, status, created_at) "
        "VALUES (?, ?, 'Export', ?, 'learner', 'active', ?)",
        ((academy, f"export{i}@bench.example", f"Learner {i}", now - i) for i in range(n)))
    users = [r[0] for r in db.execute(
        "SELECT id FROM users WHERE academy_id = ? AND email LIKE 'export%'", (academy,))]
    db.executemany(
        "INSERT INTO team_members (team_id, user_id, academy_id, added_at) VALUES (?, ?, ?, ?)",
        ((teams[(k * 37 + j) % len(teams)], u, academy, now) for k, u in enumerate(users) for j in range(2)))
    db.executemany(
        "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, "
        "email_status, source, created_at, updated_at, expires_at) "
        "VALUES (?, ?, 'Invited', ?, 'learner', 0, 'pending', 'not_requested', 'csv', ?, ?, ?)",
        ((academy, f"invited{i}@bench.example", f"Person {i}", now, now, now + 14 * 86400000) for i in range(n)))
    invites = [r[0] for r in db.execute(
        "SELECT id FROM invites WHERE academy_id = ? AND email LIKE 'invited%'", (academy,))]
    db.executemany(
        "INSERT INTO invite_teams (invite_id, team_id) VALUES (?, ?)",
        ((inv, teams[(k * 41 + j) % len(teams)]) for k, inv in enumerate(invites) for j in range(2)))
db.close()

url = urllib.parse.urlsplit(env["SERVER_URL"])
for list_name in ["learners", "invites"]:
    time.sleep(1)
    rss = proc_status_mb(pid, "VmRSS")
    reset = reset_peak(pid)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", f"/api/export/{list_name}.csv", headers={"Cookie": client.cookie})
    res = conn.getresponse()
    first = res.read(1)
    t_first = time.perf_counter() - started
    size, lines = len(first), first.count(b"\n")
    while chunk := res.read(1 << 16):
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    conn.close()
    peak = proc_status_mb(pid, "VmHWM")
    if res.status != 200 or lines != n + 1:
        raise SystemExit(f"{list_name}.csv: status {res.status}, {lines} lines (expected {n + 1})")
    say(f"{list_name}: {lines - 1:,} rows, {size / 1e6:.1f} MB in {total:.2f} s")
    row(f"Export CSV: {n:,} {list_name} (2 teams each)", f"`GET /api/export/{list_name}.csv`",
        f"{n / total:,.0f} rows/s", f"first byte {t_first * 1000:.0f} ms", f"all {total:.2f} s",
        f"{size / 1e6:.1f} MB; peak RSS {peak:.0f} MB (before {rss:.0f} MB{'' if reset else ', peak since start'})", 0)

"""bench.sh's CSV import rows (issue 5), for one backend: the server's chunked import through HTTP
beside the database's own bulk loader filling a table with the invites table's schema.

Signed in as the owner (bench_common.owner_client), with send_email=false so that the commit is
what is measured, no teams:
  1. BENCH_IMPORT_SMALL rows (10,000): start_import, chunks of 1,000, finish_import; wall time.
  2. BENCH_IMPORT_ROWS rows (100,000), the same way, after resetting the server's peak RSS
     (/proc/PID/clear_refs); wall time, per-chunk latency, the server's VmRSS before and VmHWM
     after, its CPU time (utime + stime).
  3. The yardstick: the same rows, with the 13 columns the server's INSERT fills, loaded into a
     fresh database holding the invites table as the migrations create it (every CREATE TABLE,
     CREATE INDEX, DROP INDEX and ALTER TABLE of `invites`, in migration order) and a one-column
     stand-in for each table it references, foreign keys checked. SQLite: the sqlite3 shell's `.import` into a
     temporary table and one INSERT … SELECT (the shell writes empty fields as '', not NULL), with
     the server's pragmas (WAL, synchronous=NORMAL, foreign_keys=ON). PostgreSQL: psql's `\\copy`
     straight into the table, on the same cluster as the server.
Each valid row has a unique address; every row must come back "invited".

Environment: BACKEND (sqlite | postgres), SERVER_URL, SERVER_PID, SLUG, OWNER_EMAIL,
OWNER_PASSWORD, WORK_DIR (scratch files), MIGRATIONS_DIR, IMPORT_ROWS, IMPORT_SMALL,
IMPORT_TIMEOUT (seconds, the cap of each phase); SQLITE3 (sqlite) or PSQL and COPY_URL (postgres:
an empty database for the yardstick). Prints table rows and NOTE: lines on stdout, progress on
stderr.
"""
import csv, glob, json, math, os, random, re, subprocess, time

from bench_common import JSON, FORM, owner_client, proc_status_mb, reset_peak, row, say

env = os.environ
backend = env["BACKEND"]
label = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[backend]
pid = int(env["SERVER_PID"])
work = env["WORK_DIR"]
n_big = int(env["IMPORT_ROWS"])
n_small = int(env["IMPORT_SMALL"])
cap = float(env["IMPORT_TIMEOUT"])
# The most one import_chunk call takes (services::imports::MAX_CHUNK), as the browser sends them.
CHUNK = int(os.environ.get("BENCH_IMPORT_CHUNK", "5000"))
now = time.perf_counter

# ---------------------------------------------------------------------------------------------
# Rows: the vocabulary of the shared gen_large.py corpus generator (ASCII and non-ASCII names,
# unique addresses), with a tag so that two uploads to one server never share an address.
# ---------------------------------------------------------------------------------------------
FIRST = ["Ann", "Boris", "Chen", "Dana", "Emil", "Zoë", "José", "Åsa", "Ngozi", "Mary-Kate", "O'Neil", "Li"]
LAST = ["Lee", "Ivanov", "Wei", "Smith", "Novak", "Müller", "García", "Öberg", "Okafor", "Van der Berg"]
DOMAINS = ["example.com", "example.org", "corp.example.net", "mail.example.co.uk"]


def people(n, tag, seed=7):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        f, l = rnd.choice(FIRST), rnd.choice(LAST)
        local = f.lower().replace(" ", "").replace("'", "").encode("ascii", "ignore").decode()
        out.append({"email": f"{local}.{tag}{i}@{rnd.choice(DOMAINS)}", "first_name": f, "last_name": l})
    return out


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------
def proc_status(field):
    """A /proc/PID/status field of the server in MB (VmRSS, VmHWM)."""
    return proc_status_mb(pid, field)


def cpu_seconds():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_server_peak():
    """Sets the server's VmHWM back to its current RSS; False if not allowed."""
    return reset_peak(pid)


def pct(values, p):
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def ms(x):
    return f"{x * 1000:.0f} ms"


def server_import(client, rows, tag):
    """One upload through HTTP. Returns (wall seconds, per-chunk seconds, rows not invited)."""
    # Encoded before the clock starts: the browser has them ready too.
    chunks = [json.dumps([{"line": i + 2, "person": p} for i, p in enumerate(rows[b:b + CHUNK], start=b)])
              for b in range(0, len(rows), CHUNK)]
    start = {"key": f"bench-{backend}-{tag}-{os.getpid()}", "file_name": f"bench-{len(rows)}.csv",
             "total_rows": len(rows), "role": "learner", "team_ids": [], "send_email": False}
    answers, per_chunk = [], []
    t0 = now()
    import_id = client.call("/api/start_import", start)
    for lines in chunks:
        t = now()
        status, _, data = client.post("/api/import_chunk", f'{{"import_id":{import_id},"lines":{lines}}}', JSON)
        per_chunk.append(now() - t)
        if status != 200:
            raise SystemExit(f"import_chunk answered {status}: {data[:300]!r}")
        answers.append(data)
        if now() - t0 > cap:
            raise SystemExit(f"the {len(rows):,}-row import took longer than the cap ({cap:.0f} s)")
    summary = client.call("/api/finish_import", {"import_id": import_id}, FORM)
    wall = now() - t0
    outcomes = [r["outcome"]["status"] for a in answers for r in json.loads(a)]
    not_invited = len(rows) - outcomes.count("invited")
    if not_invited or summary.get("invited") != len(rows):
        kinds = {o: outcomes.count(o) for o in set(outcomes)}
        say(f"    warning: {not_invited} of {len(rows):,} rows not invited ({kinds}; summary {summary})")
    return wall, per_chunk, not_invited


# ---------------------------------------------------------------------------------------------
# The yardstick
# ---------------------------------------------------------------------------------------------
COLUMNS = ["academy_id", "email", "first_name", "last_name", "role", "send_email", "status", "email_status",
           "source", "invited_by", "created_at", "updated_at", "expires_at"]


def invites_ddl():
    """Every statement of the migrations that creates, indexes or alters `invites`, in order (an
    index on it dropped, to be made again, too)."""
    out, invites_indexes = [], set()
    for path in sorted(glob.glob(os.path.join(env["MIGRATIONS_DIR"], "*.sql"))):
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"--[^\n]*", "", f.read())
        for s in (s.strip() for s in text.split(";")):
            # A migration that rebuilds the table (SQLite's 0013: CREATE TABLE new_invites, copy,
            # drop, rename, indexes made again) replaces everything before it.
            if re.match(r"CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?new_invites\b", s, re.I):
                out = [re.sub(r"\bnew_invites\b", "invites", s, count=1) + ";"]
                continue
            index = re.match(r"CREATE\s+(UNIQUE\s+)?INDEX\s+(IF\s+NOT\s+EXISTS\s+)?(\w+)\s+ON\s+invites\s*\(",
                             s, re.I)
            dropped = re.match(r"DROP\s+INDEX\s+(IF\s+EXISTS\s+)?(\w+)\s*$", s, re.I)
            if index:
                invites_indexes.add(index.group(3))
            if re.match(r"(CREATE\s+TABLE|ALTER\s+TABLE)\s+(IF\s+NOT\s+EXISTS\s+)?invites\b", s, re.I) or index or \
                    (dropped and dropped.group(2) in invites_indexes):
                out.append(s + ";")
    if not out or not out[0].upper().startswith("CREATE TABLE"):
        raise SystemExit(f"no CREATE TABLE invites in {env['MIGRATIONS_DIR']}")
    referenced = sorted(set(re.findall(r"REFERENCES\s+(\w+)", " ".join(out), re.I)))
    pk = "INTEGER PRIMARY KEY" if backend == "sqlite" else "BIGINT PRIMARY KEY"
    stand_ins = [f"CREATE TABLE {t} (id {pk}); INSERT INTO {t} (id) VALUES (1);" for t in referenced]
    return stand_ins + out


def write_yardstick_csv(rows, path):
    t = int(time.time() * 1000)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        for p in rows:
            w.writerow([1, p["email"], p["first_name"], p["last_name"], "learner", 0, "pending", "not_requested",
                        "csv", 1, t, t, t + 14 * 86_400_000])


def run(args, what, stdin=None):
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=cap)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[:500]}")
    return done.stdout


def yardstick(rows):
    """Loads the rows with the database's own tool; returns (seconds, what was run)."""
    data = os.path.join(work, "yardstick.csv")
    write_yardstick_csv(rows, data)
    ddl = "\n".join(invites_ddl())
    cols = ", ".join(COLUMNS)
    if backend == "sqlite":
        db = os.path.join(work, "yardstick.db")
        for f in glob.glob(db + "*"):
            os.remove(f)
        sqlite3 = env["SQLITE3"]
        run([sqlite3, "-bail", db], "sqlite3 (schema)", "PRAGMA journal_mode=WAL;\n" + ddl + "\n")
        script = (f"PRAGMA synchronous=NORMAL;\nPRAGMA foreign_keys=ON;\n"
                  f"CREATE TEMP TABLE staging ({cols});\n"
                  f".import --csv {data} staging\n"
                  f"INSERT INTO invites ({cols}) SELECT {cols} FROM staging;\n")
        t = now()
        run([sqlite3, "-bail", db], "sqlite3 .import", script)
        took = now() - t
        count = run([sqlite3, db, "SELECT count(*) FROM invites;"], "sqlite3 (count)").strip()
        what = "`.import --csv` into a temp table + one `INSERT … SELECT` (WAL, synchronous=NORMAL, foreign_keys=ON)"
    else:
        psql, url = env["PSQL"], env["COPY_URL"]
        run([psql, url, "-v", "ON_ERROR_STOP=1", "-q"], "psql (schema)", ddl + "\n")
        t = now()
        run([psql, url, "-v", "ON_ERROR_STOP=1", "-q", "-c",
             f"\\copy invites ({cols}) FROM '{data}' WITH (FORMAT csv)"], "psql \\copy")
        took = now() - t
        count = run([psql, url, "-tA", "-c", "SELECT count(*) FROM invites"], "psql (count)").strip()
        what = "psql `\\copy invites (…) FROM … (FORMAT csv)`, same cluster"
    if count != str(len(rows)):
        raise SystemExit(f"the yardstick loaded {count} rows, not {len(rows)}")
    return took, what


# ---------------------------------------------------------------------------------------------
client = owner_client(env, timeout=max(60, cap))

say(f"{label}: {n_small:,}-row import")
small = people(n_small, "s")
w_small, c_small, bad_small = server_import(client, small, "small")
say(f"    {w_small:.2f} s ({n_small / w_small:,.0f} rows/s)")

say(f"{label}: {n_big:,}-row import")
big = people(n_big, "l")
reset = reset_server_peak()
rss_before = proc_status("VmRSS")
cpu0 = cpu_seconds()
w_big, c_big, bad_big = server_import(client, big, "large")
cpu = cpu_seconds() - cpu0
hwm = proc_status("VmHWM")
rss_after = proc_status("VmRSS")
say(f"    {w_big:.2f} s ({n_big / w_big:,.0f} rows/s); server CPU {cpu:.2f} s; "
    f"RSS {rss_before:.1f} MB before, peak {hwm:.1f} MB, {rss_after:.1f} MB after")

tool = "sqlite3 `.import`" if backend == "sqlite" else "psql `\\copy`"
say(f"{label}: the yardstick, {tool} of the same {n_big:,} rows")
w_tool, what = yardstick(big)
say(f"    {w_tool:.2f} s ({n_big / w_tool:,.0f} rows/s)")


def rate(n, wall):
    return f"{n / wall:,.0f} rows/s ({wall:.2f} s)"


calls = f"`start_import` + {math.ceil(n_big / CHUNK)} × `import_chunk` ({CHUNK:,} rows) + `finish_import`; p50–p99: one chunk"
row(f"CSV import, {n_big:,} rows, {label} (send_email=false: the commit is measured)", calls,
    rate(n_big, w_big), ms(pct(c_big, 50)), ms(pct(c_big, 95)), ms(pct(c_big, 99)), bad_big)
row(f"{tool}, the same {n_big:,} rows, {label} (yardstick)", what, rate(n_big, w_tool), "–", "–", "–", 0)
row(f"CSV import ÷ {tool}, {label}", "wall-time ratio, same run (issue 5 target: ≤ 3×)",
    f"{w_big / w_tool:.2f}×", "–", "–", "–", "–")
row(f"CSV import, {n_small:,} rows, {label} (send_email=false)",
    f"{math.ceil(n_small / CHUNK)} chunk(s), as above (issue 5 target: < 1 s)",
    rate(n_small, w_small), ms(pct(c_small, 50)), ms(pct(c_small, 95)), ms(pct(c_small, 99)), bad_small)
row(f"Peak server memory during the {n_big:,}-row import, {label}",
    "VmHWM in /proc/PID/status" + (" (peak reset just before)" if reset else " (peak since start: reset refused)"),
    f"{hwm:.1f} MB (RSS before {rss_before:.1f} MB, +{hwm - rss_before:.1f} MB)", "–", "–", "–", "–")
where = ("SQLite runs inside it" if backend == "sqlite"
         else "PostgreSQL's work is in its own processes, not counted here")
print(f"NOTE: {label}, {n_big:,}-row import: the server process used {cpu:.1f} s of CPU in {w_big:.1f} s of wall time "
      f"({cpu / w_big * 100:.0f}% of one core; {where}); chunks took {ms(min(c_big))}–{ms(max(c_big))}, "
      f"first {ms(c_big[0])}, last {ms(c_big[-1])}; RSS after {rss_after:.1f} MB.", flush=True)

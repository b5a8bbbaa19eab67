"""bench.sh's API rows (issue 6): `inviteLearners` with one learner at a fixed rate, beside
`GET /healthz` of the same server in the same run.

Signed in as the owner (bench_common.owner_client), it registers an OAuth application through
the Settings → API server function (POST /api/register_api_client), takes a token with the client
credentials grant (POST /oauth/token) and checks one call. Then, with the load generator
server/examples/api_load.rs (open loop: request n is due at n / rate, latency from that due time,
so a slow answer cannot hide the requests queued behind it):
  1. GET /healthz at API_RATE requests/s for API_SECONDS (after a 1 s warm-up): the baseline.
  2. POST /api/v1 inviteLearners, one learner per call with its own address
     (bench-{run}-{n}@example.com), send_email=false so SMTP is not measured, same rate and time;
     every answer must be 200 with status "invited".
  3. The same call with one body repeated: the automatic 24 h idempotency (body hash) answers
     from what it recorded the first time.
  4. Capacity (API_CAPACITY_SECONDS > 0): both requests closed-loop, API_CAPACITY_CONNECTIONS
     going at once (as wrk does), for the most answers per second.
The server must run with a per-client limit above the rates (bench.sh starts it with
SHOAL_API_RATE=100000 and a burst ten times the longest run); the check call reads X-RateLimit-Limit.

Beside each run, the server's CPU time (utime + stime from /proc) per request: unlike latency, it
hardly depends on what else the machine is doing.

Environment: SERVER_URL, SLUG, OWNER_EMAIL, OWNER_PASSWORD, LOAD_BIN (api_load), API_RATE,
API_SECONDS, API_CAPACITY_SECONDS, API_CAPACITY_CONNECTIONS, SERVER_PID and DB_PATH (SQLite file;
both optional, for the notes), API_TRACE_DIR (optional: each run's requests, a line each, from
api_load --trace). Prints table rows and NOTE: lines on stdout, progress on stderr.
"""
import json, os, re, sqlite3, subprocess, time, urllib.parse

from bench_common import FORM, JSON, Client, owner_client, row, say

env = os.environ
base = env["SERVER_URL"].rstrip("/")
rate = float(env["API_RATE"])
seconds = float(env["API_SECONDS"])
cap_seconds = float(env.get("API_CAPACITY_SECONDS", "5"))
cap_conns = int(env.get("API_CAPACITY_CONNECTIONS", "16"))
run = str(int(time.time()))
TARGET_P99_MS = 10.0


def invite_body(email):
    return json.dumps({"action": "inviteLearners",
                       "options": {"send_email": False, "learners": [{"email": email, "first_name": "Bench",
                                                                       "last_name": "Learner"}]}},
                      separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
# A token
# ---------------------------------------------------------------------------------------------
owner = owner_client(env)
registered = owner.call("/api/register_api_client", {"name": f"bench {run}", "callback_uri": ""}, JSON)
client_id, secret = registered["client"]["client_id"], registered["client_secret"]
api = Client(base)
status, _, data = api.post("/oauth/token", urllib.parse.urlencode(
    {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}), FORM)
if status != 200:
    raise SystemExit(f"/oauth/token answered {status}: {data[:300]!r}")
token = json.loads(data)["access_token"]
auth = f"Authorization: Bearer {token}"

api.conn.request("POST", "/api/v1", body=invite_body(f"bench-{run}-check@example.com"),
                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
r = api.conn.getresponse()
data = r.read()
if r.status != 200 or json.loads(data)[0].get("status") != "invited":
    raise SystemExit(f"a single inviteLearners call answered {r.status}: {data[:300]!r}")
limit = r.getheader("X-RateLimit-Limit")
if limit is None or int(limit) < 10 * rate * (seconds + 1):
    raise SystemExit(f"X-RateLimit-Limit is {limit!r}: start the server with SHOAL_API_BURST (and SHOAL_API_RATE) "
                     f"far above {rate:.0f}/s, or the runs measure 429s")
say(f"API client {client_id} registered, token taken, one call answered 200 (X-RateLimit-Limit {limit})")


# ---------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------
def cpu_seconds():
    """The server's CPU time so far (None without SERVER_PID)."""
    try:
        with open(f"/proc/{int(env['SERVER_PID'])}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (KeyError, ValueError, OSError):
        return None


def load(what, path, *extra, closed=None, secs=seconds):
    args = [env["LOAD_BIN"], "--url", base + path, "--seconds", str(secs), "--warmup", "1", "--run", run]
    if env.get("API_TRACE_DIR"):
        name = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
        args += ["--trace", os.path.join(env["API_TRACE_DIR"], f"{name}.tsv")]
    args += ["--closed", str(closed)] if closed else ["--rate", str(rate)]
    say(f"{what}: " + (f"closed loop, {closed} at once" if closed else f"{rate:.0f} requests/s, open loop")
        + f", {secs:g} s after a 1 s warm-up")
    cpu0 = cpu_seconds()
    done = subprocess.run([*args, *extra], capture_output=True, text=True, timeout=secs + 60)
    cpu1 = cpu_seconds()
    if done.returncode != 0:
        raise SystemExit(f"api_load failed ({done.returncode}): {done.stderr.strip()[:500]}")
    out = json.loads(done.stdout)
    # Per request sent, warm-up included (the CPU time covers it).
    out["cpu_ms"] = None if cpu0 is None or cpu1 is None or not out["sent_with_warmup"] else \
        (cpu1 - cpu0) * 1000 / out["sent_with_warmup"]
    lat = out["latency_ms"]
    say(f"    sent {out['sent']}, ok {out['ok']}, {out['throughput_ok']:.0f} ok/s; p50 {lat['p50']} ms, "
        f"p99 {lat['p99']} ms, max {lat['max']} ms; not sent {out['not_sent']}, non-2xx {out['non_2xx']}, "
        f"errors {out['errors']}, unexpected {out['unexpected_body']}; server CPU {cpu(out)} per request")
    if out["bad_answer_sample"]:
        say(f"    first bad answer: {out['bad_answer_sample']}")
    for kind, n in out["error_kinds"].items():
        say(f"    {n} × {kind}")
    return out


def invite(what, body, **kw):
    return load(what, "/api/v1", "--method", "POST", "-H", auth, "-H", "Content-Type: application/json",
                "--body", body, "--expect", '"status":"invited"', **kw)


def bad(o):
    """Everything that was not a good answer in time: not sent, non-2xx, failed, wrong body."""
    return o["not_sent"] + sum(o["non_2xx"].values()) + o["errors"] + o["unexpected_body"]


def cpu(o):
    return "–" if o["cpu_ms"] is None else f"{o['cpu_ms']:.2f} ms"


def ms(x):
    return "–" if x is None else f"{x:.2f} ms"


def ratio(a, b):
    if not a or not b:
        return "–"
    x = a / b
    return f"{x:.0f}×" if x >= 100 else f"{x:.1f}×" if x >= 1 else f"{x:.3f}×"


health = load("GET /healthz", "/healthz")
fresh = invite("inviteLearners, a new learner per call", invite_body(f"bench-{run}-{{n}}@example.com"))
replay = invite("inviteLearners, one body repeated", invite_body(f"bench-{run}-replay@example.com"))
cap_health = cap_invite = None
if cap_seconds > 0:
    cap_health = load("GET /healthz capacity", "/healthz", closed=cap_conns, secs=cap_seconds)
    cap_invite = invite("inviteLearners capacity", invite_body(f"bench-{run}-cap-{{n}}@example.com"),
                        closed=cap_conns, secs=cap_seconds)

open_label = f"open loop {rate:.0f}/s × {seconds:g} s"


def fixed_row(name, request, o):
    lat = o["latency_ms"]
    row(f"{name}, {open_label}", request, f"{o['throughput_ok']:.0f} req/s", ms(lat["p50"]), ms(lat["p95"]),
        ms(lat["p99"]), bad(o))


fixed_row("API baseline: health check", "`GET /healthz` (api_load)", health)
fixed_row("API `inviteLearners`, 1 new learner per call, send_email false",
          "`POST /api/v1` (Bearer token)", fresh)
h, f = health["latency_ms"], fresh["latency_ms"]
row("`inviteLearners` ÷ health check (latency, same run)", "ratio", "–", ratio(f["p50"], h["p50"]),
    ratio(f["p95"], h["p95"]), ratio(f["p99"], h["p99"]), "–")
fixed_row("API `inviteLearners`, the same body repeated (idempotent replay)", "`POST /api/v1`", replay)
if cap_health and cap_invite:
    for name, request, o in (("API capacity: health check", "`GET /healthz`", cap_health),
                             ("API capacity: `inviteLearners`, 1 new learner per call", "`POST /api/v1`", cap_invite)):
        lat = o["latency_ms"]
        row(f"{name}, closed loop {cap_conns} at once × {cap_seconds:g} s", request,
            f"{o['throughput_ok']:.0f} req/s", ms(lat["p50"]), ms(lat["p95"]), ms(lat["p99"]), bad(o))
    row("`inviteLearners` ÷ health check (capacity, same run)", "ratio",
        ratio(cap_invite["throughput_ok"], cap_health["throughput_ok"]), "–", "–", "–", "–")

p99 = f["p99"]
met = p99 is not None and p99 <= TARGET_P99_MS and bad(fresh) == 0 and fresh["throughput_ok"] >= 0.99 * rate
counts = ""
if env.get("DB_PATH"):
    try:
        db = sqlite3.connect(f"file:{env['DB_PATH']}?mode=ro", uri=True, timeout=30)
        (invites,) = db.execute("SELECT COUNT(*) FROM invites").fetchone()
        (users,) = db.execute("SELECT COUNT(*) FROM users").fetchone()
        db.close()
        counts = f" The database held {invites:,} invitations and {users:,} users afterwards."
    except sqlite3.Error:
        pass
print(f"NOTE: API rows: issue 6's target p99 ≤ {TARGET_P99_MS:g} ms at 500 requests/s on SQLite — "
      f"{'met' if met else 'NOT met'} at {rate:.0f}/s (p99 {ms(p99)}, max {ms(f['max'])}, "
      f"{fresh['throughput_ok']:.0f} ok/s, {bad(fresh)} bad). "
      f"Load from server/examples/api_load.rs: open loop, each request due at n / rate and timed from then "
      f"(coordinated omission counted), ≤ 256 in flight (a request due while all are busy counts as bad); "
      f"its own send lag p99 {ms(fresh['send_lag_ms']['p99'])}.")
runs = [("health check", health), ("inviteLearners", fresh), ("replay", replay)]
if cap_health and cap_invite:
    runs += [("health check, closed loop", cap_health), ("inviteLearners, closed loop", cap_invite)]
if fresh["cpu_ms"] is not None:
    print("NOTE: API rows: server CPU time (user + system) per request, warm-up included: "
          + ", ".join(f"{name} {cpu(o)}" for name, o in runs)
          + f" — {os.cpu_count()} cores at {1000 / fresh['cpu_ms'] * (os.cpu_count() or 1):.0f} inviteLearners/s "
          f"if the server had them all.")
print(f"NOTE: API rows: the server runs with SHOAL_API_RATE=100000 and SHOAL_API_BURST at ten times the "
      f"longest run (X-RateLimit-Limit {limit}) so the per-client token bucket (default 20/s, burst 100) does not answer 429; send_email=false, "
      f"so no email is queued and SMTP is not measured; one API client, one token, HTTP/1.1 keep-alive.{counts}")

"""What the bench's Python drivers share (standard library only): one keep-alive HTTP connection
to the server, signed in as the academy's owner. bench.sh puts .ci on PYTHONPATH."""
import http.client, json, os, sys, urllib.parse

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def say(*words):
    """A progress line on stderr (stdout carries the table rows)."""
    print("   ", *words, file=sys.stderr, flush=True)


def row(*cells):
    """One row of bench.sh's Markdown table, on stdout."""
    print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)


class Client:
    """Server function calls as a browser makes them (same Origin), over one connection."""

    def __init__(self, base, timeout=60):
        self.base = base.rstrip("/")
        url = urllib.parse.urlsplit(self.base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        self.cookie = None

    def post(self, path, body, content_type=JSON):
        """Returns (status, headers, body bytes)."""
        headers = {"Content-Type": content_type, "Origin": self.base, "Accept": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.conn.request("POST", path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.getheaders(), r.read()

    def call(self, path, payload, content_type=JSON):
        """A server function that must answer 200: its JSON answer. `payload` is a dict (JSON or
        form-encoded, as `content_type` says) or bytes already encoded."""
        if isinstance(payload, dict):
            payload = json.dumps(payload) if content_type == JSON else urllib.parse.urlencode(payload)
        status, _, data = self.post(path, payload, content_type)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {data[:300]!r}")
        return json.loads(data)

    def sign_in(self, slug, email, password):
        status, headers, data = self.post("/api/sign_in", urllib.parse.urlencode(
            {"slug": slug, "email": email, "password": password}), FORM)
        if status != 200:
            raise SystemExit(f"sign-in answered {status}: {data[:300]!r}")
        self.cookie = "; ".join(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie")
        return self


def proc_status_mb(pid, field):
    """A /proc/PID/status field (VmRSS, VmHWM) of a process, in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} in /proc/{pid}/status")


def reset_peak(pid):
    """Sets a process's VmHWM back to its current RSS (Linux: 5 > clear_refs); False if not allowed."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def owner_client(env=os.environ, timeout=60):
    """Signed in as the owner bench.sh created: SERVER_URL, SLUG, OWNER_EMAIL, OWNER_PASSWORD.
    Sign-in is rate limited (30 per IP address per 10 min): sign in once per driver."""
    return Client(env["SERVER_URL"], timeout).sign_in(env["SLUG"], env["OWNER_EMAIL"], env["OWNER_PASSWORD"])

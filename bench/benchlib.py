"""Measuring and reporting helpers of bench/run (standard library only; tests: python3 -m unittest discover bench)."""

import http.client
import http.server
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Sample:
    """One process run: wall seconds, CPU seconds (user + system), peak resident memory in MB, exit code, output."""
    wall: float
    cpu: float
    rss_mb: float
    code: int
    out: str = ""
    err: str = ""


def measure(argv, env=None, cwd=None, timeout=900):
    """Runs argv to completion and measures it with wait4 (the child's own CPU time and peak RSS)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024.0,
                      code=proc.returncode, out=out.read().decode("utf-8", "replace"),
                      err=err.read().decode("utf-8", "replace"))


@dataclass
class Stat:
    """Median, min and max of a figure's runs."""
    median: float
    min: float
    max: float
    n: int

    @staticmethod
    def of(values):
        values = [v for v in values if v is not None]
        if not values:
            return None
        return Stat(statistics.median(values), min(values), max(values), len(values))


def fmt(value, unit="", digits=2):
    if value is None:
        return "-"
    if isinstance(value, float):
        text = f"{value:.{digits}f}"
    else:
        text = str(value)
    return text + (" " + unit if unit else "")


def fmt_stat(stat, unit="", digits=2):
    """'1.23 s (1.10 - 1.40)': the median, then min - max."""
    if stat is None:
        return "-"
    return f"{fmt(stat.median, unit, digits)} ({fmt(stat.min, '', digits)} - {fmt(stat.max, '', digits)})"


@dataclass
class Row:
    """A line of the results table: what, the figure, the goal and whether it is met (None: no goal)."""
    section: str
    what: str
    figure: str
    goal: str = ""
    met: object = None
    note: str = ""


@dataclass
class Results:
    rows: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def add(self, *args, **kwargs):
        row = Row(*args, **kwargs)
        self.rows.append(row)
        return row

    def missed(self):
        return [r for r in self.rows if r.met is False]


def verdict(met):
    return {True: "met", False: "MISSED", None: ""}[met]


def table(rows, markdown=False):
    """The rows as a Markdown table, or as aligned plain text for the terminal."""
    header = ["section", "figure", "median (min - max)", "goal", ""]
    lines = [[r.section, r.what, r.figure, r.goal, verdict(r.met)] for r in rows]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for line in lines:
            out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |")
        return "\n".join(out)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for line in lines:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())
    return "\n".join(out)


BEGIN = "<!-- bench/run: results begin -->"
END = "<!-- bench/run: results end -->"


def replace_region(document, generated):
    """The document with the text between the markers replaced (markers kept); appended when it has none."""
    block = BEGIN + "\n" + generated.rstrip("\n") + "\n" + END
    start = document.find(BEGIN)
    end = document.find(END)
    if start < 0 or end < start:
        return document.rstrip("\n") + ("\n\n" if document.strip() else "") + block + "\n"
    return document[:start] + block + document[end + len(END):]


def class_list(paths):
    """The union of -XX:DumpLoadedClassList files: named classes only (no lambda forms, proxies, hidden classes), sorted."""
    names = set()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or line.startswith("@"):
                    continue
                name = line.split()[0]
                if "$$Lambda" in name or "/$Proxy" in name or "+0x" in name or name.startswith("jdk/internal/reflect/Generated"):
                    continue
                names.add(name)
    return sorted(names)


# ------------------------------------------------------------------------------------------------ throttling proxy

class TokenBucket:
    """AWS's throttling of an account's calls: `burst` tokens refilled at `per_second`; a call finding none is refused."""

    def __init__(self, per_second, burst, clock=time.monotonic):
        self.per_second, self.burst, self.clock = per_second, burst, clock
        self.tokens, self.last = float(burst), clock()
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.per_second)
            self.last = now
            if self.tokens < 1:
                return False
            self.tokens -= 1
            return True


_SERVICE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")
_ACTION = re.compile(r"(?:^|&)Action=([A-Za-z0-9]+)")


def aws_call(headers, query, body):
    """(service, operation) of a signed AWS request: the service from the signature, the operation from the JSON
    target or the query action; operation None when neither names it (S3's REST calls)."""
    m = _SERVICE.search(headers.get("Authorization", ""))
    service = m.group(1) if m else ""
    target = headers.get("X-Amz-Target")
    if target:
        return service, target.rsplit(".", 1)[-1]
    for text in (body.decode("utf-8", "replace"), urllib.parse.unquote(query or "")):
        m = _ACTION.search(text)
        if m:
            return service, m.group(1)
    return service, None


def throttling_answer(service):
    """(status, content type, body) of each service's throttling error, in its wire format."""
    if service == "dynamodb":
        return 400, "application/x-amz-json-1.0", b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}'
    if service == "ec2":
        return 503, "text/xml", (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>RequestLimitExceeded"
                                 b"</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>bench</RequestID></Response>")
    return 400, "text/xml", (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                             b"</Error><RequestId>bench</RequestId></ErrorResponse>")


class ThrottlingProxy:
    """An HTTP proxy on loopback in front of the sandbox that throttles reads (Describe*, List*, Get*) as AWS does
    past an account's rate: a token bucket per service. Counts the requests and the throttled ones."""

    def __init__(self, target_port, per_second, burst=5):
        self.target_port, self.per_second, self.burst = target_port, per_second, burst
        self.buckets, self.requests, self.throttled = {}, 0, 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def relay(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urllib.parse.urlsplit(self.path)
                service, operation = aws_call(self.headers, url.query, body)
                if proxy.refuse(service, operation):
                    status, kind, answer = throttling_answer(service)
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.target_port, timeout=120)
                try:
                    upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
                    r = upstream.getresponse()
                    answer = r.read()
                    self.send_response(r.status)
                    for k, v in r.getheaders():
                        if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(answer)
                finally:
                    upstream.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = relay

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def refuse(self, service, operation):
        with self.lock:
            self.requests += 1
            if not operation or not operation.startswith(("Describe", "List", "Get")):
                return False
            bucket = self.buckets.setdefault(service, TokenBucket(self.per_second, self.burst))
        if bucket.take():
            return False
        with self.lock:
            self.throttled += 1
        return True

    def reset_counts(self):
        with self.lock:
            self.requests, self.throttled = 0, 0

    def close(self):
        self.server.shutdown()
        self.server.server_close()

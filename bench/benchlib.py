"""Measuring and reporting helpers of bench/run (standard library only; tests: python3 -m unittest discover bench)."""

import os
import statistics
import subprocess
import tempfile
import time
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

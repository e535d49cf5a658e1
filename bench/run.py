#!/usr/bin/env python3
"""Kiln benchmark runner.

Runs every benchmark program in bench/ under each installed implementation
(Kiln configurations, lua5.4, luajit, python3, node and the C version),
checks that all outputs agree, and prints medians, ratios to a baseline
(lua5.4), a geometric-mean row, peak memory and start-up cost. Writes an SVG
bar chart. Standard library only.

    bench/run.py [--runs N] [--only a,b] [--kiln PATH] [--kiln-flags "-Xint"]
                 [--other-kiln "LABEL=PATH [FLAGS]"]
                 [--chart bench/out/chart.svg] [--markdown]

See bench/README.md.
"""

import argparse
import datetime
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# ---------------------------------------------------------------------------
# Configuration

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"

# Kiln configurations measured by default: (label, flags).
KILN_CONFIGS = [
    ("kiln-jit", ["-Xjit"]),
    ("kiln-int", ["-Xint"]),
    # The foundation's mark-sweep collector, kept to measure the generational one.
    ("kiln-int-marksweep", ["-Xint", "--gc=marksweep"]),
]

# Benchmarks, in table order. Each one is <name>.kn/.lua/.py/.js/.c in bench/.
BENCHMARKS = [
    "fib",
    "loop",
    "method_call",
    "fields",
    "binary_trees",
    "nbody",
    "mandelbrot",
    "closures",
    "strings",
    "sieve",
    "map_heavy",
    "richards",
    "live_growth",
]

# Peer implementations: (label, executable, source extension, version command,
# extra flags).
PEERS = [
    ("lua5.4", "lua5.4", ".lua", ["-v"], []),
    ("luajit", "luajit", ".lua", ["-v"], []),
    ("luajit-joff", "luajit", ".lua", ["-v"], ["-joff"]),  # LuaJIT's interpreter alone
    ("python3", "python3", ".py", ["--version"], []),
    ("node", "node", ".js", ["--version"], []),
]

BASELINE = "lua5.4"
C_COMPILER = "cc"
C_FLAGS = ["-O2"]
C_LIBS = ["-lm"]

STARTUP_RUNS = 20

# Preferred order when the outputs disagree and there is no majority.
REFERENCE_PREFERENCE = ["c", "lua5.4", "python3", "node", "luajit"]


# ---------------------------------------------------------------------------
# Implementations


class Impl:
    """One way of running a benchmark: a label and how to build a command."""

    def __init__(self, label, kind, argv=None, ext=None, version_cmd=None):
        self.label = label
        self.kind = kind  # "kiln", "peer" or "c"
        self.argv = argv or []  # command prefix; the source file is appended
        self.ext = ext
        self.version_cmd = version_cmd

    def source(self, name):
        return BENCH_DIR / (name + (self.ext or ".c"))

    def command(self, name):
        if self.kind == "c":
            return [str(OUT_DIR / name)]
        return self.argv + [str(self.source(name))]

    def version(self):
        if not self.version_cmd:
            return ""
        try:
            r = subprocess.run(self.version_cmd, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ""
        if r.returncode != 0:
            return ""
        text = (r.stdout or "") + (r.stderr or "")
        lines = [l.strip() for l in text.splitlines() if l.strip()]
        return lines[0] if lines else ""


def kiln_label(flags):
    for label, default_flags in KILN_CONFIGS:
        if default_flags == flags:
            return label
    return "kiln" + "".join(("-" + f[2:]) if f.startswith("-X") else (" " + f) for f in flags)


def parse_other_kiln(spec):
    """--other-kiln "LABEL=PATH [FLAGS...]": another Kiln binary, such as a
    build of an older commit (bench/build_commit.sh), measured side by side."""
    if "=" not in spec:
        sys.exit(f'--other-kiln wants "LABEL=PATH [FLAGS...]", got {spec!r}')
    label, rest = spec.split("=", 1)
    words = shlex.split(rest)
    if not label or not words:
        sys.exit(f'--other-kiln wants "LABEL=PATH [FLAGS...]", got {spec!r}')
    return label, Path(words[0]).resolve(), words[1:]


def resolve_python():
    """The real interpreter behind `python3` (skipping pyenv-style shims,
    whose start-up would otherwise be measured)."""
    exe = shutil.which("python3")
    if not exe:
        return None
    try:
        r = subprocess.run([exe, "-c", "import sys; print(sys.executable)"],
                           capture_output=True, text=True, timeout=30)
        real = r.stdout.strip()
        if r.returncode == 0 and real and os.path.exists(real):
            return real
    except (OSError, subprocess.SubprocessError):
        pass
    return exe


def find_impls(args, notes):
    impls = []
    kiln = Path(args.kiln)
    if not kiln.is_absolute():
        kiln = (Path.cwd() / kiln) if (Path.cwd() / kiln).exists() else (ROOT / kiln)
    configs = KILN_CONFIGS
    if args.kiln_flags is not None:
        configs = []
        for f in args.kiln_flags:
            flags = shlex.split(f)
            configs.append((kiln_label(flags), flags))
    if kiln.is_file() and os.access(kiln, os.X_OK):
        for label, flags in configs:
            impls.append(Impl(label, "kiln", [str(kiln)] + flags, ".kn", [str(kiln), "--version"]))
    else:
        notes.append(f"skipped Kiln: {kiln} not found (build it first)")
    for spec in args.other_kiln or []:
        label, path, flags = parse_other_kiln(spec)
        if path.is_file() and os.access(path, os.X_OK):
            impls.append(Impl(label, "kiln", [str(path)] + flags, ".kn", [str(path), "--version"]))
        else:
            notes.append(f"skipped {label}: {path} not found")
    for label, exe, ext, vflags, flags in PEERS:
        path = resolve_python() if exe == "python3" else shutil.which(exe)
        if path:
            impls.append(Impl(label, "peer", [path] + flags, ext, [path] + vflags))
        else:
            notes.append(f"skipped {label}: `{exe}` not installed")
    cc = shutil.which(C_COMPILER)
    if cc:
        impls.append(Impl("c", "c", version_cmd=[cc, "--version"]))
    else:
        notes.append(f"skipped c: `{C_COMPILER}` not installed")
    return impls


def compile_c(names, notes):
    """Compiles bench/<name>.c into bench/out/<name>; returns the names built."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    built = set()
    for name in names:
        src = BENCH_DIR / (name + ".c")
        exe = OUT_DIR / name
        if not src.exists():
            continue
        if exe.exists() and exe.stat().st_mtime >= src.stat().st_mtime:
            built.add(name)
            continue
        cmd = [C_COMPILER] + C_FLAGS + ["-o", str(exe), str(src)] + C_LIBS
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            notes.append(f"c: compiling {src.name} failed:\n{r.stderr.strip()}")
        else:
            built.add(name)
    return built


# ---------------------------------------------------------------------------
# Running


class RunResult:
    def __init__(self, seconds, rss_kb, code, stdout, stderr, timed_out):
        self.seconds = seconds
        self.rss_kb = rss_kb
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out

    @property
    def ok(self):
        return self.code == 0 and not self.timed_out


MEASURE = None  # path of the compiled bench/measure.c launcher, if any


def build_measure(notes):
    """Compiles bench/measure.c (see there why) into bench/out/measure."""
    global MEASURE
    src, exe = BENCH_DIR / "measure.c", OUT_DIR / "measure"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if exe.exists() and exe.stat().st_mtime >= src.stat().st_mtime:
        MEASURE = exe
        return
    if shutil.which(C_COMPILER):
        r = subprocess.run([C_COMPILER, "-O2", "-o", str(exe), str(src)], capture_output=True, text=True)
        if r.returncode == 0:
            MEASURE = exe
            return
    notes.append("could not build bench/measure.c: peak RSS includes the runner's own size")


def run_once(cmd, timeout):
    """Runs cmd once: wall time and the peak RSS of that very process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".measure") as res:
        timed_out = []
        argv = [str(MEASURE), res.name] + cmd if MEASURE else cmd
        start = time.perf_counter()
        try:
            # A session of its own, so a timeout can kill the whole tree.
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 cwd=BENCH_DIR, start_new_session=True)
        except OSError as e:
            return RunResult(0.0, 0, 127, "", str(e), False)

        def kill():
            timed_out.append(True)
            try:
                os.killpg(p.pid, 9)
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - start
        p.returncode = code = os.waitstatus_to_exitcode(status)
        timer.cancel()
        rss = usage.ru_maxrss
        if MEASURE and code == 0:
            fields = res.read().split()
            if len(fields) == 3:
                code, elapsed, rss = int(fields[0]), float(fields[1]), int(fields[2])
            else:
                code = 125  # the launcher did not report: treat as a failure
        out.seek(0)
        err.seek(0)
        return RunResult(elapsed, rss, code,
                         out.read().decode("utf-8", "replace"),
                         err.read().decode("utf-8", "replace"), bool(timed_out))


class Cell:
    """All runs of one benchmark under one implementation."""

    def __init__(self):
        self.runs = []
        self.output = None  # output of the first successful run
        self.unstable = False  # successful runs printed different outputs
        self.mismatch = False  # output differs from the reference

    def add(self, r):
        self.runs.append(r)
        if r.ok:
            if self.output is None:
                self.output = r.stdout
            elif r.stdout != self.output:
                self.unstable = True

    @property
    def good(self):
        return [r for r in self.runs if r.ok]

    @property
    def failures(self):
        return [r for r in self.runs if not r.ok]

    @property
    def median(self):
        g = self.good
        return statistics.median(r.seconds for r in g) if g else None

    @property
    def peak_rss_kb(self):
        g = self.good
        return max(r.rss_kb for r in g) if g else None

    @property
    def valid(self):
        return self.median is not None and not self.mismatch and not self.unstable


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def choose_reference(cells):
    """The output most implementations agree on (ties: REFERENCE_PREFERENCE)."""
    counts = {}
    for label, cell in cells.items():
        if cell.output is not None:
            counts.setdefault(cell.output, []).append(label)
    if not counts:
        return None, None

    def rank(item):
        out, labels = item
        pref = min((REFERENCE_PREFERENCE.index(l) if l in REFERENCE_PREFERENCE else 99) for l in labels)
        return (-len(labels), pref)

    out, labels = sorted(counts.items(), key=rank)[0]
    return out, labels


def first_difference(expected, actual):
    e, a = expected.splitlines(), actual.splitlines()
    for i in range(max(len(e), len(a))):
        el = e[i] if i < len(e) else "<missing>"
        al = a[i] if i < len(a) else "<missing>"
        if el != al:
            return f"line {i + 1}: expected {el!r}, got {al!r}"
    return "outputs differ in whitespace"


def run_benchmarks(names, impls, runs, timeout, c_built, notes):
    results = {}  # name -> {label: Cell}
    for name in names:
        cells = {}
        active = []
        for impl in impls:
            if impl.kind == "c" and name not in c_built:
                continue
            if impl.kind != "c" and not impl.source(name).exists():
                notes.append(f"{name}: no {impl.source(name).name} for {impl.label}")
                continue
            cells[impl.label] = Cell()
            active.append(impl)
        # Round-robin over implementations so load drift hits all alike.
        for i in range(runs):
            for impl in active:
                progress(f"  {name:<13} {impl.label:<10} run {i + 1}/{runs}")
                cells[impl.label].add(run_once(impl.command(name), timeout))
        ref, agreeing = choose_reference(cells)
        for label, cell in cells.items():
            for r in cell.failures:
                what = f"timed out after {timeout:g} s" if r.timed_out else f"exit code {r.code}"
                tail = "\n      ".join(r.stderr.strip().splitlines()[-5:])
                notes.append(f"FAILED {name} under {label}: {what}" + (f"\n      {tail}" if tail else ""))
                break  # one report per cell is enough
            if cell.unstable:
                notes.append(f"UNSTABLE {name} under {label}: runs printed different outputs")
            if cell.output is not None and ref is not None and cell.output != ref:
                cell.mismatch = True
                notes.append(f"MISMATCH {name} under {label} (reference from {', '.join(agreeing)}): "
                             + first_difference(ref, cell.output))
        results[name] = cells
    return results


def measure_startup(impls, timeout):
    """Median wall time and peak RSS of an empty program, per implementation."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for ext in (".kn", ".lua", ".py", ".js"):
        (OUT_DIR / ("empty" + ext)).write_text("")
    empty_c = OUT_DIR / "empty.c"
    empty_c.write_text("int main(void) { return 0; }\n")
    c_ok = subprocess.run([C_COMPILER] + C_FLAGS + ["-o", str(OUT_DIR / "empty"), str(empty_c)],
                          capture_output=True).returncode == 0 if shutil.which(C_COMPILER) else False
    startup = {}
    for impl in impls:
        if impl.kind == "c":
            if not c_ok:
                continue
            cmd = [str(OUT_DIR / "empty")]
        else:
            cmd = impl.argv + [str(OUT_DIR / ("empty" + impl.ext))]
        progress(f"  startup       {impl.label}")
        rs = [run_once(cmd, timeout) for _ in range(STARTUP_RUNS)]
        good = [r for r in rs if r.ok]
        if good:
            startup[impl.label] = (statistics.median(r.seconds for r in good),
                                   statistics.median(r.rss_kb for r in good))
    return startup


# ---------------------------------------------------------------------------
# Reporting


def ratio(results, name, label, baseline):
    cells = results[name]
    c, b = cells.get(label), cells.get(baseline)
    if c is None or b is None or not c.valid or not b.valid:
        return None
    return c.median / b.median


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def build_tables(names, labels, results, baseline, startup):
    """Returns (time table, memory table, startup table) as lists of rows."""
    has_base = any(baseline in results[n] for n in names)
    time_rows = [["benchmark"] + labels]
    for name in names:
        row = [name]
        for label in labels:
            cell = results[name].get(label)
            if cell is None:
                row.append("-")
                continue
            med = cell.median
            if med is None:
                row.append("FAIL")
                continue
            text = f"{med:.3f}"
            r = ratio(results, name, label, baseline)
            if r is not None:
                text += f" ({r:.2f}x)"
            if cell.mismatch or cell.unstable:
                text += " WRONG"
            elif cell.failures:
                text += " *"
            row.append(text)
        time_rows.append(row)
    if has_base:
        row = ["geomean"]
        for label in labels:
            rs = [ratio(results, n, label, baseline) for n in names]
            ok = [r for r in rs if r is not None]
            g = geomean(ok)
            if g is None:
                row.append("-")
            else:
                text = f"{g:.2f}x"
                if len(ok) < len(names):
                    text += f" ({len(ok)}/{len(names)})"
                row.append(text)
        time_rows.append(row)

    mem_rows = [["benchmark"] + labels]
    for name in names:
        row = [name]
        for label in labels:
            cell = results[name].get(label)
            rss = cell.peak_rss_kb if cell else None
            row.append("-" if rss is None else f"{rss / 1024:.1f}")
        mem_rows.append(row)

    start_rows = [["implementation", "startup (ms)", "peak RSS (MB)"]]
    for label in labels:
        if label in startup:
            t, rss = startup[label]
            start_rows.append([label, f"{t * 1000:.1f}", f"{rss / 1024:.1f}"])
    return time_rows, mem_rows, start_rows


def format_plain(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_markdown(rows):
    lines = ["| " + " | ".join(rows[0]) + " |",
             "|" + "|".join([":---"] + ["---:"] * (len(rows[0]) - 1)) + "|"]
    for r in rows[1:]:
        lines.append("| " + " | ".join(r) + " |")
    return "\n".join(lines)


def machine_description():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs{mem}; {platform.system()} {platform.release()}"


# ---------------------------------------------------------------------------
# Chart (hand-written SVG; log-scale horizontal bars of ratio to the baseline)

PALETTE = ["#d62728", "#ff7f0e", "#8c564b", "#e377c2", "#1f77b4", "#17becf",
           "#2ca02c", "#9467bd", "#bcbd22", "#7f7f7f"]


def svg_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_chart(path, names, labels, results, baseline):
    groups = []
    for name in names:
        groups.append((name, [(l, ratio(results, name, l, baseline)) for l in labels]))
    gm = []
    for l in labels:
        gm.append((l, geomean([ratio(results, n, l, baseline) for n in names])))
    groups.append(("geomean", gm))
    values = [v for _, bars in groups for _, v in bars if v]
    if not values:
        return False
    lo = 10 ** math.floor(math.log10(min(min(values), 0.5)))
    hi = 10 ** math.ceil(math.log10(max(max(values), 2.0)))

    left, right, top = 130, 40, 70
    plot_w = 640
    bar_h, gap = 12, 14
    group_h = bar_h * len(labels) + gap
    legend_h = 24
    height = top + group_h * len(groups) + 40 + legend_h
    width = left + plot_w + right + 60

    def x(v):
        return left + plot_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    colors = {l: PALETTE[i % len(PALETTE)] for i, l in enumerate(labels)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="15" font-weight="bold">Kiln benchmarks: time relative to '
           f'{svg_escape(baseline)} (log scale, lower is faster)</text>']
    # Legend.
    lx = left
    for l in labels:
        out.append(f'<rect x="{lx}" y="34" width="12" height="12" fill="{colors[l]}"/>')
        out.append(f'<text x="{lx + 16}" y="44">{svg_escape(l)}</text>')
        lx += 24 + 7 * len(l)
    plot_bottom = top + group_h * len(groups)
    # Grid: 1-2-5 steps per decade.
    d = lo
    while d <= hi * 1.0001:
        for m in (1, 2, 5):
            v = d * m
            if v < lo * 0.999 or v > hi * 1.001:
                continue
            gx = x(v)
            major = m == 1
            out.append(f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{plot_bottom}" '
                       f'stroke="{"#bbb" if major else "#e5e5e5"}"/>')
            out.append(f'<text x="{gx:.1f}" y="{plot_bottom + 14}" text-anchor="middle" '
                       f'fill="#555">{v:g}x</text>')
        d *= 10
    bx = x(1.0)
    out.append(f'<line x1="{bx:.1f}" y1="{top - 6}" x2="{bx:.1f}" y2="{plot_bottom}" '
               f'stroke="black" stroke-width="1.5"/>')
    out.append(f'<text x="{bx:.1f}" y="{top - 10}" text-anchor="middle">{svg_escape(baseline)} = 1</text>')
    # Bars.
    y = top
    for name, bars in groups:
        gy = y + (group_h - gap) / 2 + 4
        weight = ' font-weight="bold"' if name == "geomean" else ""
        out.append(f'<text x="{left - 8}" y="{gy:.1f}" text-anchor="end"{weight}>{svg_escape(name)}</text>')
        for i, (l, v) in enumerate(bars):
            by = y + i * bar_h
            if v is None:
                out.append(f'<text x="{left + 4}" y="{by + bar_h - 2}" fill="#999">{svg_escape(l)}: n/a</text>')
                continue
            w = max(1.0, x(v) - left)
            out.append(f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar_h - 2}" fill="{colors[l]}">'
                       f'<title>{svg_escape(name)} / {svg_escape(l)}: {v:.3f}x</title></rect>')
            out.append(f'<text x="{left + w + 3:.1f}" y="{by + bar_h - 3}" font-size="9" '
                       f'fill="#333">{v:.2f}</text>')
        y += group_h
    out.append(f'<text x="{left}" y="{height - 8}" fill="#555">'
               f'{svg_escape(datetime.date.today().isoformat())}; bench/run.py</text>')
    out.append("</svg>")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(out) + "\n")
    return True


# ---------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description="Run the Kiln benchmark suite against peers.")
    ap.add_argument("--runs", type=int, default=5, help="runs per benchmark and implementation (default 5)")
    ap.add_argument("--only", help="comma-separated benchmark names")
    ap.add_argument("--kiln", default="build/kiln", help="path to the kiln executable (default build/kiln)")
    ap.add_argument("--kiln-flags", action="append",
                    help='flags for one Kiln configuration, e.g. "-Xint"; repeat for several '
                         "(replaces the default list KILN_CONFIGS)")
    ap.add_argument("--other-kiln", action="append",
                    help='another Kiln binary as "LABEL=PATH [FLAGS...]", e.g. '
                         '"foundation=/tmp/kiln-bef419d/build/kiln -Xint" (see bench/build_commit.sh); repeatable')
    ap.add_argument("--impls", help="comma-separated implementation labels to run (default: all installed)")
    ap.add_argument("--baseline", default=BASELINE, help=f"implementation ratios refer to (default {BASELINE})")
    ap.add_argument("--chart", default=str(OUT_DIR / "chart.svg"), help="SVG chart path (default bench/out/chart.svg)")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown (for docs/performance.md)")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up measurement")
    ap.add_argument("--check", action="store_true", help="run each program once and only compare outputs")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed (default 300)")
    argv = list(sys.argv[1:] if argv is None else argv)
    # Let `--kiln-flags -Xint` through: argparse would take -Xint for an option.
    fixed = []
    i = 0
    while i < len(argv):
        if argv[i] in ("--kiln-flags", "--other-kiln") and i + 1 < len(argv):
            fixed.append(argv[i] + "=" + argv[i + 1])
            i += 2
        else:
            fixed.append(argv[i])
            i += 1
    args = ap.parse_args(fixed)
    if args.check:
        args.runs = 1
        args.no_startup = True

    names = BENCHMARKS
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in BENCHMARKS]
        if unknown:
            ap.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        names = [n for n in BENCHMARKS if n in wanted]

    notes = []
    impls = find_impls(args, notes)
    if args.impls:
        keep = {s.strip() for s in args.impls.split(",")}
        impls = [i for i in impls if i.label in keep]
    if not impls:
        print("no implementation found", file=sys.stderr)
        return 1
    labels = [i.label for i in impls]
    build_measure(notes)
    c_built = compile_c(names, notes) if any(i.kind == "c" for i in impls) else set()

    progress(f"benchmarks: {', '.join(names)}; implementations: {', '.join(labels)}; {args.runs} run(s) each")
    started = datetime.datetime.now()
    results = run_benchmarks(names, impls, args.runs, args.timeout, c_built, notes)
    startup = {} if args.no_startup else measure_startup(impls, args.timeout)

    baseline = args.baseline
    if baseline not in labels:
        notes.append(f"baseline {baseline} not available: no ratios")

    if args.check:
        bad = [n for n in notes if n.startswith(("MISMATCH", "FAILED", "UNSTABLE"))]
        for name in names:
            cells = results[name]
            status = []
            for label in labels:
                c = cells.get(label)
                if c is None:
                    continue
                s = "ok" if c.valid else ("FAIL" if c.median is None else "WRONG")
                status.append(f"{label}={s}")
            print(f"{name:<13} " + " ".join(status))
        for n in notes:
            print("note: " + n)
        return 1 if bad else 0

    time_rows, mem_rows, start_rows = build_tables(names, labels, results, baseline, startup)
    cmd = "bench/run.py " + " ".join(shlex.quote(a) for a in argv)
    fmt = format_markdown if args.markdown else format_plain
    versions = [(i.label, i.version()) for i in impls]

    if args.markdown:
        print(f"Date: {started:%Y-%m-%d %H:%M}  ")
        print(f"Machine: {machine_description()}  ")
        print(f"Command: `{cmd.strip()}`  ")
        print(f"Runs: {args.runs} per cell; median wall-clock seconds (ratio to {baseline}; lower is faster).")
        print()
        print("Implementations:")
        print()
        for label, v in versions:
            print(f"- {label}: {v or 'unknown version'}" + (" (`cc -O2`)" if label == "c" else ""))
        print()
        print("### Time (s)")
    else:
        print(f"{started:%Y-%m-%d %H:%M}  {machine_description()}")
        print(f"median wall time in seconds over {args.runs} run(s) (ratio to {baseline}; lower is faster)")
    print()
    print(fmt(time_rows))
    print()
    print("### Peak RSS (MB)" if args.markdown else "peak RSS in MB (max over runs)")
    print()
    print(fmt(mem_rows))
    if start_rows[1:]:
        print()
        print(f"### Start-up (empty program, median of {STARTUP_RUNS})" if args.markdown
              else f"start-up: empty program, median of {STARTUP_RUNS} runs")
        print()
        print(fmt(start_rows))
    legend = ("WRONG = output differs from the other implementations (excluded from ratios); "
              "* = some runs failed (median of the others); FAIL = every run failed; "
              "geomean (k/n) = over the k benchmarks with a valid ratio.")
    print()
    print(legend)
    if notes:
        print()
        print("Notes:" if not args.markdown else "Notes:\n")
        for n in notes:
            print(("- " if args.markdown else "  ") + n)
    if args.chart:
        if write_chart(args.chart, names, labels, results, baseline):
            progress(f"chart written to {args.chart}")
    bad = any(n.startswith(("MISMATCH", "UNSTABLE")) for n in notes)
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

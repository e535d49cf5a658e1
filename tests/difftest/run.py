#!/usr/bin/env python3
"""Differential tester: run generated Kiln programs in two modes, compare.

Usage:
  run.py --kiln PATH [--seeds START:END] [--mode-a "-Xint"] [--mode-b "-Xjit-threshold=0"]
         [--jobs N] [--keep-failures DIR] [--timeout S] [--hours H] [--stats] [--strict]
  run.py --kiln PATH --reduce SEED|FILE [--mode-a ...] [--mode-b ...]

For each seed, gen.py makes a program; `kiln MODE_A prog.kn` and `kiln MODE_B prog.kn`
run it, and their stdout, stderr and exit codes must be identical, byte for byte.
A seed fails on a mismatch, on a crash in either mode (killed by a signal, or an
exit code other than 0, 65 and 70) and on a timeout in either mode. A failing seed
is printed with a short diff, and the program and both outputs are written to the
--keep-failures directory (default ./difftest-failures).

--seeds START:END is inclusive at both ends (1:300 is 300 programs). --hours H
keeps running consecutive seeds, from START (or a random start), for H hours,
printing a progress line every minute. Either way the last line is
`N passed, N failed`, and the exit code is 1 if anything failed (2 for a usage
problem, such as a mode the kiln binary does not accept).

The generator marks each program with the exit code it means to have (0, or 70
for the ~10% that end with a deliberate runtime error); if mode A's exit code
differs, a `generator:` warning is printed (with --strict it is a failure),
since the program then does not test what it was meant to.

--reduce SEED (or a .kn file) shrinks a failing program: it deletes lines and
brace-balanced blocks while the failure stays the same kind, and writes the
result to the --keep-failures directory.
"""

import argparse
import concurrent.futures
import difflib
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen  # noqa: E402

OK_EXITS = (0, 65, 70)
EXPECT_EXIT = re.compile(rb"^// expect exit: (\d+)", re.M)


class Run:
    __slots__ = ("code", "out", "err", "secs", "timeout")

    def __init__(self, code, out, err, secs, timeout):
        self.code, self.out, self.err, self.secs, self.timeout = code, out, err, secs, timeout


def run_kiln(kiln, mode, path, timeout):
    t0 = time.monotonic()
    # A session of its own, so that a timeout kills whatever it started too.
    p = subprocess.Popen([kiln] + mode + [path], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return Run(p.returncode, out, err, time.monotonic() - t0, False)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        out, err = p.communicate()
        return Run(None, out or b"", err or b"", time.monotonic() - t0, True)


def describe(r):
    if r.timeout:
        return "timeout"
    if r.code is None:
        return "not run"
    if r.code < 0:
        return "signal %d" % -r.code
    return "exit %d" % r.code


def verdict(a, b):
    """None if the pair passes, else a short reason."""
    for name, r in (("A", a), ("B", b)):
        if r.timeout:
            return "timeout in mode %s" % name
        if r.code not in OK_EXITS:
            return "crash in mode %s (%s)" % (name, describe(r))
    if a.code != b.code or a.out != b.out or a.err != b.err:
        return "mismatch"
    return None


def failure_kind(a, b):
    """What kind of failure, for the reducer (None: passes)."""
    v = verdict(a, b)
    if v is None:
        return None
    if v == "mismatch":
        parts = []
        if a.code != b.code:
            parts.append("exit")
        if a.out != b.out:
            parts.append("stdout")
        if a.err != b.err:
            parts.append("stderr")
        return "mismatch of " + "+".join(parts)
    return v


def check_one(args):
    """Worker: generate seed, run both modes. Returns a dict (picklable)."""
    seed, kiln, mode_a, mode_b, timeout, tmpdir, src = args
    if src is None:
        try:
            src = gen.generate(seed)
        except Exception as e:  # a bug in gen.py: report it, go on
            empty = (None, b"", b"", 0.0, False)
            return {"seed": seed, "verdict": "gen.py failed: %s: %s" % (type(e).__name__, e),
                    "expect": None, "a": empty, "b": empty, "src_lines": 0, "src": ""}
    path = os.path.join(tmpdir, "seed%d.kn" % seed)
    with open(path, "w") as f:
        f.write(src)
    a = run_kiln(kiln, mode_a, path, timeout)
    b = run_kiln(kiln, mode_b, path, timeout)
    os.unlink(path)
    m = EXPECT_EXIT.search(src.encode())
    res = {
        "seed": seed,
        "verdict": verdict(a, b),
        "expect": int(m.group(1)) if m else None,
        "a": (a.code, a.out, a.err, a.secs, a.timeout),
        "b": (b.code, b.out, b.err, b.secs, b.timeout),
        "src_lines": src.count("\n"),
    }
    if res["verdict"]:
        res["src"] = src
    return res


def short_diff(x, y, name, limit=12):
    xl = x.decode("utf-8", "replace").splitlines()
    yl = y.decode("utf-8", "replace").splitlines()
    d = list(difflib.unified_diff(xl, yl, "mode A " + name, "mode B " + name, n=1, lineterm=""))
    if len(d) > limit:
        d = d[:limit] + ["... (%d more diff lines)" % (len(d) - limit)]
    return d


def report_failure(res, opts):
    seed = res["seed"]
    a, b = Run(*res["a"]), Run(*res["b"])
    print("FAIL seed %d: %s (A: %s, B: %s)" % (seed, res["verdict"], describe(a), describe(b)), flush=True)
    if a.out != b.out:
        for line in short_diff(a.out, b.out, "stdout"):
            print("  " + line)
    if a.err != b.err:
        for line in short_diff(a.err, b.err, "stderr"):
            print("  " + line)
    d = opts.keep_failures
    os.makedirs(d, exist_ok=True)
    base = os.path.join(d, "seed%d" % seed)
    with open(base + ".kn", "w") as f:
        f.write(res["src"])
    for tag, r in (("a", a), ("b", b)):
        with open("%s.%s.stdout" % (base, tag), "wb") as f:
            f.write(r.out)
        with open("%s.%s.stderr" % (base, tag), "wb") as f:
            f.write(r.err)
    with open(base + ".txt", "w") as f:
        f.write("seed %d: %s\nmode A: %s -> %s\nmode B: %s -> %s\n" % (
            seed, res["verdict"], " ".join(opts.mode_a), describe(a), " ".join(opts.mode_b), describe(b)))
        f.write("reproduce: %s %s %s\n" % (sys.executable, os.path.join(HERE, "gen.py"), seed))
        f.write("reduce:    %s --kiln %s --reduce %d --mode-a %s --mode-b %s\n" % (
            os.path.abspath(__file__), opts.kiln, seed, shlex.quote(" ".join(opts.mode_a)),
            shlex.quote(" ".join(opts.mode_b))))
    print("  saved to %s.{kn,a.stdout,a.stderr,b.stdout,b.stderr,txt}" % base, flush=True)


def parse_seeds(s):
    m = re.fullmatch(r"(-?\d+):(-?\d+)", s)
    if not m:
        m1 = re.fullmatch(r"-?\d+", s)
        if not m1:
            raise argparse.ArgumentTypeError("expected START:END")
        return int(s), int(s)
    lo, hi = int(m.group(1)), int(m.group(2))
    if hi < lo:
        raise argparse.ArgumentTypeError("END < START")
    return lo, hi


def preflight(opts):
    """Both modes must accept a trivial program."""
    with tempfile.NamedTemporaryFile("w", suffix=".kn", delete=False) as f:
        f.write('print "ok";\n')
        path = f.name
    try:
        for name, mode in (("A", opts.mode_a), ("B", opts.mode_b)):
            r = run_kiln(opts.kiln, mode, path, 30)
            if r.timeout or r.code != 0 or r.out != b"ok\n":
                print("difftest: mode %s (%s) does not run a trivial program with %s: %s\n%s" % (
                    name, " ".join(mode), opts.kiln, describe(r),
                    (r.err or r.out).decode("utf-8", "replace").strip()), file=sys.stderr)
                return False
    finally:
        os.unlink(path)
    return True


class Stats:
    def __init__(self):
        self.n = 0
        self.exits = {}
        self.secs_a = []
        self.secs_b = []
        self.out_lines = 0
        self.src_lines = 0

    def add(self, res):
        self.n += 1
        code = res["a"][0]
        self.exits[code] = self.exits.get(code, 0) + 1
        self.secs_a.append((res["a"][3], res["seed"]))
        self.secs_b.append((res["b"][3], res["seed"]))
        self.out_lines += res["a"][1].count(b"\n")
        self.src_lines += res["src_lines"]

    def show(self):
        if not self.n:
            return
        def pct(xs, q):
            xs = sorted(xs)
            return xs[min(len(xs) - 1, int(q * len(xs)))]
        print("stats: %d programs; mode A exit codes: %s" % (self.n, ", ".join(
            "%s: %d (%.1f%%)" % (k, v, 100.0 * v / self.n) for k, v in sorted(self.exits.items(), key=lambda kv: str(kv[0])))))
        for name, pairs in (("A", self.secs_a), ("B", self.secs_b)):
            xs = [t for t, _ in pairs]
            slow = sorted(pairs, reverse=True)[:3]
            print("stats: mode %s time per program: mean %.1f ms, median %.1f ms, p95 %.1f ms, max %.1f ms "
                  "(slowest seeds: %s)" % (
                      name, 1000 * sum(xs) / len(xs), 1000 * pct(xs, 0.5), 1000 * pct(xs, 0.95), 1000 * max(xs),
                      ", ".join("%d" % sd for _, sd in slow)))
        print("stats: mean %.0f source lines, %.0f output lines (stdout) per program" % (
            self.src_lines / self.n, self.out_lines / self.n))


def run_tests(opts):
    if not preflight(opts):
        return 2
    jobs = opts.jobs or os.cpu_count() or 1
    tmpdir = tempfile.mkdtemp(prefix="kiln-difftest-")
    passed = failed = gen_warn = 0
    stats = Stats()
    t0 = time.monotonic()
    deadline = t0 + opts.hours * 3600 if opts.hours else None
    lo, hi = opts.seeds if opts.seeds else (None, None)
    if deadline and lo is None:
        lo = random.SystemRandom().randrange(10 ** 6, 10 ** 9)
    if lo is None:
        lo, hi = 1, 300
    if deadline:
        print("difftest: running for %.2f h from seed %d (modes A: %s, B: %s; %d jobs)" % (
            opts.hours, lo, " ".join(opts.mode_a), " ".join(opts.mode_b), jobs), flush=True)

    def seeds():
        s = lo
        while True:
            if deadline is None and s > hi:
                return
            if deadline is not None and time.monotonic() >= deadline:
                return
            yield s
            s += 1

    last_progress = t0
    interrupted = False

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=ignore_sigint) as ex:
            it = seeds()
            pending = set()
            window = jobs * 4

            def fill():
                for s in it:
                    pending.add(ex.submit(check_one, (s, opts.kiln, opts.mode_a, opts.mode_b,
                                                      opts.timeout, tmpdir, None)))
                    if len(pending) >= window:
                        break

            fill()
            while pending:
                done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for fut in done:
                    pending.discard(fut)
                    res = fut.result()
                    stats.add(res)
                    bad = res["verdict"] is not None
                    ca = res["a"][0]
                    if not bad and res["expect"] is not None and ca != res["expect"]:
                        gen_warn += 1
                        print("generator: seed %d exited %s in mode A, expected %d%s" % (
                            res["seed"], ca, res["expect"], " (counted as a failure: --strict)" if opts.strict else ""),
                            flush=True)
                        if opts.strict:
                            err = res["a"][2].decode("utf-8", "replace").splitlines()
                            for line in err[:3]:
                                print("  " + line)
                            bad = True
                            res["verdict"] = res["verdict"] or "unexpected exit %s" % ca
                            res["src"] = gen.generate(res["seed"])
                    if bad:
                        failed += 1
                        report_failure(res, opts)
                    else:
                        passed += 1
                fill()
                now = time.monotonic()
                if now - last_progress >= opts.progress:
                    last_progress = now
                    el = now - t0
                    print("progress: %dm%02ds: %d passed, %d failed (%.1f programs/s)" % (
                        el // 60, el % 60, passed, failed, (passed + failed) / el), flush=True)
    except KeyboardInterrupt:
        interrupted = True
        print("difftest: interrupted", flush=True)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    if opts.stats:
        stats.show()
    if gen_warn:
        print("generator: %d programs did not end with the exit code they meant to" % gen_warn)
    el = time.monotonic() - t0
    if deadline or el > 30:
        print("difftest: %d programs in %.1f s" % (passed + failed, el))
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else (130 if interrupted else 0)


def ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --------------------------------------------------------------------- reducer
def blocks(lines):
    """(first, last) line indexes of multi-line blocks: a line ending with `{`
    and the line of its closing `}` (as gen.py writes them)."""
    out = []
    stack = []
    for i, line in enumerate(lines):
        s = line.strip()
        opens = s.count("{") - s.count("}")
        if s.endswith("{") and opens > 0:
            stack.append(i)
        elif s.startswith("}") and stack and opens < 0:
            out.append((stack.pop(), i))
    out.sort(key=lambda r: r[0] - r[1])
    return out


def candidates(lines):
    """Smaller versions of lines: whole blocks removed (largest first), blocks
    unwrapped (their first and last lines removed), single lines removed."""
    bs = blocks(lines)
    for (j, e) in bs:
        yield lines[:j] + lines[e + 1:]
    for (j, e) in bs:
        yield lines[:j] + lines[j + 1:e] + lines[e + 1:]
    for i in range(len(lines)):
        yield lines[:i] + lines[i + 1:]


def reduce_program(opts, src, label):
    tmpdir = tempfile.mkdtemp(prefix="kiln-difftest-reduce-")
    path = os.path.join(tmpdir, "r.kn")
    tests = [0]

    def kind_of(text):
        with open(path, "w") as f:
            f.write(text)
        a = run_kiln(opts.kiln, opts.mode_a, path, opts.timeout)
        b = run_kiln(opts.kiln, opts.mode_b, path, opts.timeout)
        tests[0] += 1
        k = failure_kind(a, b)
        if k is None:
            return None
        if k.startswith("mismatch") and (a.code == 65 or b.code == 65):
            return "compile-error"   # a broken program: not the same bug
        # Mode A's exit code is kept too, so that the program stays as valid as it
        # was (no new runtime error in mode A).
        return "%s, mode A %s" % (k, describe(a))

    try:
        want = kind_of(src)
        if want is None:
            print("difftest: %s does not fail with these modes; nothing to reduce" % label)
            return 1
        print("reduce: %s fails: %s" % (label, want), flush=True)
        lines = src.splitlines()
        changed = True
        while changed:
            changed = False
            # chunks of consecutive lines, halving, then blocks and single lines
            n = len(lines)
            size = max(1, n // 2)
            while size >= 1:
                i = 0
                while i < len(lines):
                    cand = lines[:i] + lines[i + size:]
                    if cand and kind_of("\n".join(cand) + "\n") == want:
                        lines = cand
                        changed = True
                    else:
                        i += size
                size //= 2
            for cand in candidates(lines):
                if cand and kind_of("\n".join(cand) + "\n") == want:
                    lines = cand
                    changed = True
                    break
        text = "\n".join(lines) + "\n"
        os.makedirs(opts.keep_failures, exist_ok=True)
        out = os.path.join(opts.keep_failures, "%s.reduced.kn" % label)
        with open(out, "w") as f:
            f.write(text)
        print("reduce: %d lines after %d runs, written to %s:" % (len(lines), tests[0], out))
        sys.stdout.write(text)
        with open(path, "w") as f:
            f.write(text)
        for name, mode in (("A", opts.mode_a), ("B", opts.mode_b)):
            r = run_kiln(opts.kiln, mode, path, opts.timeout)
            print("---- mode %s (%s): %s" % (name, " ".join(mode), describe(r)))
            sys.stdout.write(r.out.decode("utf-8", "replace"))
            sys.stdout.write(r.err.decode("utf-8", "replace"))
        return 0
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description="Differential tester for Kiln execution modes.",
                                 epilog="See tests/difftest/README.md.")
    ap.add_argument("--kiln", required=True, help="the kiln executable")
    ap.add_argument("--seeds", type=parse_seeds, help="START:END, inclusive (default 1:300)")
    ap.add_argument("--mode-a", default="-Xint", help='flags of mode A (default "-Xint")')
    ap.add_argument("--mode-b", default="-Xjit-threshold=0", help='flags of mode B (default "-Xjit-threshold=0")')
    ap.add_argument("--jobs", "-j", type=int, default=0, help="parallel jobs (default: number of CPUs)")
    ap.add_argument("--keep-failures", default="difftest-failures", metavar="DIR",
                    help="where failing programs and outputs go (default ./difftest-failures)")
    ap.add_argument("--timeout", type=float, default=30, metavar="S", help="per run, in seconds (default 30)")
    ap.add_argument("--hours", type=float, metavar="H", help="run consecutive seeds for H hours")
    ap.add_argument("--progress", type=float, default=60, metavar="S", help="seconds between progress lines (default 60)")
    ap.add_argument("--stats", action="store_true", help="print exit codes, run times and output sizes at the end")
    ap.add_argument("--strict", action="store_true",
                    help="a program that does not end with the exit code the generator meant is a failure")
    ap.add_argument("--reduce", metavar="SEED|FILE", help="shrink a failing program")
    # Mode values start with '-' ("-Xint"): argparse would take them for options.
    argv = []
    args = sys.argv[1:]
    i = 0
    while i < len(args):
        if args[i] in ("--mode-a", "--mode-b") and i + 1 < len(args):
            argv.append(args[i] + "=" + args[i + 1])
            i += 2
        else:
            argv.append(args[i])
            i += 1
    opts = ap.parse_args(argv)
    opts.mode_a = shlex.split(opts.mode_a)
    opts.mode_b = shlex.split(opts.mode_b)
    if not os.path.exists(opts.kiln):
        print("difftest: no kiln executable at %s" % opts.kiln, file=sys.stderr)
        return 2
    opts.kiln = os.path.abspath(opts.kiln)
    if opts.reduce is not None:
        if os.path.isfile(opts.reduce):
            with open(opts.reduce) as f:
                src = f.read()
            label = os.path.splitext(os.path.basename(opts.reduce))[0]
        else:
            try:
                seed = int(opts.reduce)
            except ValueError:
                print("difftest: --reduce takes a seed or a .kn file", file=sys.stderr)
                return 2
            src = gen.generate(seed)
            label = "seed%d" % seed
        return reduce_program(opts, src, label)
    return run_tests(opts)


if __name__ == "__main__":
    sys.exit(main())

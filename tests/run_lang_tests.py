#!/usr/bin/env python3
"""Run Kiln's script tests (tests/lang/**/*.kn) and check their expectations.

Usage:
  run_lang_tests.py --kiln PATH [--mode MODE] [-j N] [--timeout S] [-v] [paths...]

Each .kn file (given directly, or found under a given directory; default: the
directory this script's tests/lang) is run as `kiln [mode flags] file.kn`, and its
stdout, stderr and exit code are compared with the expectations written in the
file's comments (the conventions of the Lox test suite):

  // expect: TEXT               the next line of stdout is TEXT. All stdout lines
                                must match these, in order, with no extra lines.
  // expect runtime error: MSG  stderr's first line is MSG and its second line
                                starts with `[line N]`, N being this comment's
                                line; exit code 70.
  // expect trace: TEXT         (optional, after a runtime error) the stack trace:
                                stderr lines 2, 3, ... are exactly these TEXTs.
  // Error at 'x': MSG          a compile error: stderr holds the line
  // Error at end: MSG            `[line N] Error at 'x': MSG`, N being this
  // Error: MSG                   comment's line; exit code 65.
  // [line N] Error...          the same with the line given explicitly (for an
                                error reported on another line, e.g. at the end).
                                All compile errors must be expected: stderr must be
                                exactly the expected error lines, ordered by line.
  // exit: N                    the expected exit code, overriding the above.
  // args: ...                  reserved (extra command-line arguments, not yet used).

Without error expectations, stderr must be empty and the exit code 0. A file that
takes longer than --timeout seconds fails (a hang is a failure).

Modes are named lists of extra flags, defined in MODES below:
  normal     no flags (the default tier of the build)
  gc-stress  --gc-stress --gc-verify: collect at every allocation (a scavenge; a full
             collection every 16th) and check the heap after each
  marksweep-stress  the same with the mark-sweep collector (--gc=marksweep)
  int        -Xint: interpreter only
  jit0       -Xjit -Xjit-threshold=0: compile every function on first call (reserved)
  jit        -Xjit: tiered with the default threshold (reserved)

A failure prints one line `FAIL path (mode): reason` and the details (a diff of
stdout/stderr). The run ends with the line `lang: P passed, F failed`; the exit code
is 1 if anything failed (or no test was found), else 0.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import subprocess
import sys

# Extra command-line flags per execution mode. Add a mode here and nowhere else.
MODES = {
    "normal": [],  # the default tier: -Xjit
    "int": ["-Xint"],
    "jit0": ["-Xjit-threshold=0"],
    "jit0-gc-stress": ["-Xjit-threshold=0", "--gc-stress", "--gc-verify"],
    "gc-stress": ["-Xint", "--gc-stress", "--gc-verify"],
    "marksweep-stress": ["-Xint", "--gc=marksweep", "--gc-stress", "--gc-verify"],
}

EXIT_COMPILE_ERROR = 65
EXIT_RUNTIME_ERROR = 70

EXPECT_OUTPUT = re.compile(r"// expect: ?(.*)")
EXPECT_RUNTIME_ERROR = re.compile(r"// expect runtime error: (.+)")
EXPECT_TRACE = re.compile(r"// expect trace: (.+)")
EXPECT_ERROR = re.compile(r"// (Error.*)")
EXPECT_ERROR_LINE = re.compile(r"// \[line (\d+)\] (Error.*)")
EXPECT_EXIT = re.compile(r"// exit: (\d+)")
EXPECT_ARGS = re.compile(r"// args: (.*)")

HERE = os.path.dirname(os.path.abspath(__file__))


class Expectations:
    """What one test file expects, parsed from its comments."""

    def __init__(self, path):
        self.path = path
        self.stdout = []           # expected stdout lines
        self.runtime_error = None  # (message, line)
        self.trace = []            # expected stack-trace lines (optional)
        self.compile_errors = []   # (line, text) pairs
        self.exit_code = None
        self.args = []
        self.problems = []         # malformed expectations

    def parse(self):
        with open(self.path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.rstrip("\r")
            m = EXPECT_OUTPUT.search(line)
            if m:
                self.stdout.append(m.group(1))
                continue
            m = EXPECT_RUNTIME_ERROR.search(line)
            if m:
                if self.runtime_error:
                    self.problems.append("more than one runtime error expected")
                self.runtime_error = (m.group(1), number)
                continue
            m = EXPECT_TRACE.search(line)
            if m:
                self.trace.append(m.group(1))
                continue
            m = EXPECT_ERROR_LINE.search(line)
            if m:
                self.compile_errors.append((int(m.group(1)), m.group(2)))
                continue
            m = EXPECT_ERROR.search(line)
            if m:
                self.compile_errors.append((number, m.group(1)))
                continue
            m = EXPECT_EXIT.search(line)
            if m:
                self.exit_code = int(m.group(1))
                continue
            m = EXPECT_ARGS.search(line)
            if m:
                self.args = m.group(1).split()
        if self.runtime_error and self.compile_errors:
            self.problems.append("expects both a runtime and a compile error")
        if self.trace and not self.runtime_error:
            self.problems.append("'expect trace' without 'expect runtime error'")
        if self.exit_code is None:
            if self.compile_errors:
                self.exit_code = EXIT_COMPILE_ERROR
            elif self.runtime_error:
                self.exit_code = EXIT_RUNTIME_ERROR
            else:
                self.exit_code = 0
        return self


def split_lines(data):
    """Bytes -> list of lines, without the empty string after a final newline."""
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def diff(expected, actual, what):
    return "\n".join(
        "    " + l
        for l in difflib.unified_diff(
            expected, actual, "expected " + what, "actual " + what, lineterm=""
        )
    )


def check(exp, rc, out_lines, err_lines):
    """Returns a list of failure descriptions (empty when the test passed)."""
    failures = list(exp.problems)

    if out_lines != exp.stdout:
        failures.append("stdout differs\n" + diff(exp.stdout, out_lines, "stdout"))

    if exp.compile_errors:
        expected = [
            "[line %d] %s" % (line, text)
            for line, text in sorted(exp.compile_errors, key=lambda e: e[0])
        ]
        if err_lines != expected:
            failures.append("compile errors differ\n" + diff(expected, err_lines, "stderr"))
    elif exp.runtime_error:
        message, line = exp.runtime_error
        prefix = "[line %d]" % line
        if not err_lines:
            failures.append("expected runtime error %r, stderr is empty" % message)
        elif err_lines[0] != message:
            failures.append(
                "runtime error message differs\n" + diff([message], err_lines[:1], "message")
            )
        elif len(err_lines) < 2 or not err_lines[1].startswith(prefix):
            got = err_lines[1] if len(err_lines) > 1 else "(nothing)"
            failures.append("expected stack trace line starting %r, got %r" % (prefix, got))
        elif exp.trace and err_lines[1:] != exp.trace:
            failures.append("stack trace differs\n" + diff(exp.trace, err_lines[1:], "trace"))
    elif err_lines:
        failures.append("unexpected stderr\n" + diff([], err_lines, "stderr"))

    if rc != exp.exit_code:
        failures.append("exit code %d, expected %d" % (rc, exp.exit_code))
    return failures


def run_one(kiln, flags, path, timeout):
    """Runs one test; returns (path, list of failures)."""
    try:
        exp = Expectations(path).parse()
    except OSError as e:
        return path, ["cannot read: %s" % e]
    cmd = [kiln] + flags + exp.args + [path]
    try:
        proc = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return path, ["timed out after %g s" % timeout]
    except OSError as e:
        return path, ["cannot run %s: %s" % (kiln, e)]
    rc = proc.returncode
    if rc < 0:
        return path, ["killed by signal %d" % -rc] + check(
            exp, rc, split_lines(proc.stdout), split_lines(proc.stderr))[:1]
    return path, check(exp, rc, split_lines(proc.stdout), split_lines(proc.stderr))


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".kn"))
        elif os.path.isfile(p):
            files.append(p)
        else:
            print("lang: no such file or directory: %s" % p, file=sys.stderr)
            sys.exit(2)
    return files


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s --kiln PATH [--mode MODE] [-j N] [paths...]",
    )
    parser.add_argument("--kiln", required=True, help="path to the kiln executable")
    parser.add_argument("--mode", default="normal", choices=sorted(MODES),
                        help="execution mode (default: normal)")
    parser.add_argument("-j", "--jobs", type=int, default=2,
                        help="files run in parallel (default: 2)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds allowed per file (default: 30)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print a line per passing test")
    parser.add_argument("paths", nargs="*",
                        help="test files or directories (default: tests/lang)")
    args = parser.parse_args()

    files = collect(args.paths or [os.path.join(HERE, "lang")])
    kiln = os.path.abspath(args.kiln)
    flags = MODES[args.mode]

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = [pool.submit(run_one, kiln, flags, f, args.timeout) for f in files]
        for job in jobs:  # in file order, so the report is stable
            path, failures = job.result()
            if failures:
                failed += 1
                first, _, details = failures[0].partition("\n")
                print("FAIL %s (%s): %s" % (path, args.mode, first))
                if details:
                    print(details)
                for f in failures[1:]:
                    print("  also: " + f)
            else:
                passed += 1
                if args.verbose:
                    print("PASS %s (%s)" % (path, args.mode))
            sys.stdout.flush()

    if not files:
        print("no test files found")
    print("lang: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main())

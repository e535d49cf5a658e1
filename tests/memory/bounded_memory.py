#!/usr/bin/env python3
"""Runs a garbage-heavy script and fails if peak RSS grows past a bound.

Usage: bounded_memory.py KILN SCRIPT LIMIT_MB [kiln flags...]
The script allocates about 800 MB in total; a collector that leaks or never
frees would exceed the limit many times over.
"""
import resource
import subprocess
import sys

kiln, script, limit_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
flags = sys.argv[4:]
result = subprocess.run([kiln, *flags, script], capture_output=True, text=True, timeout=600)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"exit {result.returncode}, peak RSS {peak_mb:.1f} MB (limit {limit_mb} MB)")
if result.returncode != 0 or result.stderr:
    print(result.stderr)
    print("memory: 0 passed, 1 failed")
    sys.exit(1)
if peak_mb > limit_mb:
    print("memory: 0 passed, 1 failed")
    sys.exit(1)
print("memory: 1 passed, 0 failed")

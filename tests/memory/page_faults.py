#!/usr/bin/env python3
"""Runs a script and fails if it takes more minor page faults than a bound.

Usage: page_faults.py KILN SCRIPT MAX_FAULTS [kiln flags...]
For tests/memory/rebuilt_list.kn: with mimalloc's default 25 ms decommit delay
each rebuild of the list faults its pages in again (~37,000 faults in all);
with the 250 ms the kiln command sets, they are reused (~22,000).
"""
import resource
import subprocess
import sys

kiln, script, max_faults = sys.argv[1], sys.argv[2], int(sys.argv[3])
flags = sys.argv[4:]
result = subprocess.run([kiln, *flags, script], capture_output=True, text=True, timeout=600)
faults = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
print(f"exit {result.returncode}, {faults} minor page faults (limit {max_faults})")
if result.returncode != 0 or result.stderr:
    print(result.stderr)
    print("memory: 0 passed, 1 failed")
    sys.exit(1)
if faults > max_faults:
    print("memory: 0 passed, 1 failed")
    sys.exit(1)
print("memory: 1 passed, 0 failed")

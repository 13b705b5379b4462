"""Run every benchmark script in ``bench/`` in turn with its default arguments (``make bench``).

Each script runs in its own process so one's memory and caches do not colour the
next; a failing script is reported and the rest still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    scripts = sorted(
        p
        for p in here.glob("*.py")
        if p.name != Path(__file__).name and '__name__ == "__main__"' in p.read_text()
    )
    failed: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], check=False)
        seconds = time.perf_counter() - started
        print(f"-- {script.name}: exit {result.returncode}, {seconds:.0f} s\n")
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

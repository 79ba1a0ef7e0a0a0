"""Run every benchmark in turn (each skips cleanly without the data) and update docs/benchmarks.md.

    python benchmarks/run_all.py [NAME ...]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("gvfc", "fnc1", "newsmtsc", "allsides", "entities_conll", "extraction", "stance", "speed")


def main() -> int:
    """Run the named benchmarks (default: all); return non-zero if any failed."""
    names = sys.argv[1:] or list(BENCHMARKS)
    failed = [name for name in names if subprocess.call([sys.executable, str(HERE / f"{name}.py")]) != 0]
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench`: run Fagnett's benchmarks on a database of their own and print the results.

Benchmarks measure; they never fail a build. Record the printed table in docs/benchmarks.md with the
machine it ran on.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="run only these benchmarks (default: all)")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per benchmark (default 50)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fagnett.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("FAGNETT_REQUIRE_MFA_FOR_STAFF", "0")
    from bench.runner import run

    return run(args.names, repeat=args.repeat)


if __name__ == "__main__":
    sys.exit(main())

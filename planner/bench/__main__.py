"""Dispatch `python -m planner.bench <name> [args]` to planner.bench.<name>.main(args)."""

import importlib
import sys

NAMES = ("plan", "feeds", "feeds-http", "scale", "imports")


def main(argv: list[str]) -> int:
    """Run one benchmark by name and return its exit code."""
    if not argv or argv[0] not in NAMES:
        print(f"usage: python -m planner.bench {{{'|'.join(NAMES)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(f"planner.bench.{argv[0].replace('-', '_')}")
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python
"""Print the dependencies that pyproject.toml declares, one a line, for ``pip install -r``.

The container image installs them in a layer of their own, built from pyproject.toml alone,
so that a change to the code does not reinstall every package. Names of optional groups
(``ml``, ``dev``...) given as arguments, separated by spaces or commas, add those groups.

    python platform/scripts/pyproject_requirements.py [pyproject.toml] [--extras "ml dev"]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path


def requirements(pyproject: Path, extras: list[str]) -> list[str]:
    with open(pyproject, "rb") as handle:
        project = tomllib.load(handle)["project"]
    groups = project.get("optional-dependencies", {})
    unknown = [extra for extra in extras if extra not in groups]
    if unknown:
        raise SystemExit(f"unknown extras {', '.join(unknown)}; pyproject.toml has {', '.join(groups)}")
    found = list(project.get("dependencies", []))
    for extra in extras:
        found += groups[extra]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pyproject", nargs="?", type=Path, default=Path("pyproject.toml"))
    parser.add_argument("--extras", default="", help="optional groups to add, e.g. 'ml'")
    args = parser.parse_args()
    extras = [name for name in args.extras.replace(",", " ").split() if name]
    sys.stdout.write("".join(f"{line}\n" for line in requirements(args.pyproject, extras)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

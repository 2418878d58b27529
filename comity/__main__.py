"""`python -m comity` is the `comity` console command (with its aliases, e.g. legal-basis)."""

from __future__ import annotations

from comity.cli import main

if __name__ == "__main__":
    main()

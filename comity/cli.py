"""The `comity` console command: Django's manage.py, installed with the package."""

from __future__ import annotations

import os
import sys

# Spellings the console accepts for commands whose Django names cannot hold a hyphen.
ALIASES = {"legal-basis": "legal_basis"}


def command_line(argv: list[str]) -> list[str]:
    """``argv`` with an aliased command (also after ``help``) replaced by its Django name."""
    args = list(argv)
    position = 2 if len(args) > 2 and args[1] == "help" else 1
    if len(args) > position:
        args[position] = ALIASES.get(args[position], args[position])
    return args


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_line(sys.argv))


if __name__ == "__main__":
    main()

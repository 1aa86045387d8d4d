"""`python -m casesummary` runs the command line."""

from __future__ import annotations

from casesummary.cli import main

raise SystemExit(main())

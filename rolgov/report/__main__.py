"""python -m rolgov.report draft|verify: the command line (rolgov/report/cli.py); argv in, exit code out."""

import sys

from rolgov.report.cli import main

sys.exit(main())

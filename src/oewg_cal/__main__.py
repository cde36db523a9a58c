"""``python -m oewg_cal``: the same as the ``oewg-cal`` command."""

from oewg_cal.cli import console_main

console_main()

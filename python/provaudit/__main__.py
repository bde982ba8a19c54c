"""`python -m provaudit ARGS...` runs the bundled binary, e.g. in an environment whose
scripts directory is not on PATH."""

from provaudit import main

main()

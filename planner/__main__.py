"""``python -m planner``: the same CLI as the ``planner`` command."""

import sys

from .cli import main

sys.exit(main())

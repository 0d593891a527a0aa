from __future__ import annotations

import os
import sys
from pathlib import Path

# pytest runs with --import-mode=importlib (no sys.path changes): make validate_fixtures.py importable.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

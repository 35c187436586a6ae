"""Let the tests import the repository's `seeds` package under any pytest entry point.

`python -m pytest` puts the working directory on the path and an up-to-date editable
install lists the repository root; a plain `pytest` in an older install does neither,
and `tests/seeds` would then pass for an empty `seeds` namespace package.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.append(_ROOT)  # a regular package anywhere on the path beats a namespace one

"""Where the project's shared reference material lives: `../shared/` beside the repository root.

CI lays a copy of it there too; `ROBOTPAYMENT_APP_SHARED_DIR` points elsewhere when needed.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("ROBOTPAYMENT_APP_SHARED_DIR", REPO_ROOT.parent / "shared"))
SALEOR_DIR = SHARED_DIR / "saleor"
SPEC_PATH = SHARED_DIR / "spec" / "robotpayment-onetouch-token-3ds2.ja.txt"

"""pytest plugin loaded before Django is configured (`-p civiclink.testing` in pyproject.toml).

Tests get their own var/ directory (secret key) and run background tasks immediately, inside the test's
transaction, so that a test sees the effect of the task it caused.
"""

import os
import tempfile

os.environ.setdefault("CIVICLINK_VAR_DIR", tempfile.mkdtemp(prefix="civiclink-test-"))
os.environ.setdefault("CIVICLINK_TASKS", "immediate")

from civiclink.core.i18n import compile_catalogs

compile_catalogs()

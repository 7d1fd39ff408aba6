"""The README's screenshots: run the browser test that takes them, copy them to webui/static.

    python -m tests.bench.screenshots

They show the bundled corpus in Debian's Chromium at desktop and phone widths, in Korean.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench import REPO_ROOT

TEST = "tests/test_browser.py::test_the_readme_screenshot_page"
SHOTS = {"readme-results-1280.png": "screenshot-results.png",
         "readme-results-390.png": "screenshot-phone.png"}  # fmt: skip


def main() -> None:
    """Take the screenshots and copy them where the README shows them from."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SUMMIT_SEARCH_SHOTS": tmp}
        run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST]
        subprocess.run(run, cwd=REPO_ROOT, env=env, check=True)
        for taken, kept in SHOTS.items():
            target = REPO_ROOT / "webui" / "static" / kept
            shutil.copyfile(Path(tmp) / taken, target)
            print(f"{target.relative_to(REPO_ROOT)}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

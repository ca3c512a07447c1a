"""The README is read in two minutes and sends the reader to pages that exist; the
architecture page names every thread the code starts and every module it points to."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_the_readme_is_short_and_its_pages_exist() -> None:
    assert len(README.splitlines()) <= 110
    named = set(re.findall(r"`(docs/[\w./-]+\.md)`", README))
    assert {"docs/architecture.md", "docs/operations.md", "docs/api.md"} <= named
    assert all((ROOT / page).is_file() for page in named), named


def test_every_thread_the_code_starts_is_in_the_architecture_page() -> None:
    calls = r"Thread\((?:[^()]|\([^()]*\))*\)"  # a Thread(...) call, arguments may call
    names = set()
    for source in [*ROOT.glob("shared/**/*.py"), *ROOT.glob("services/**/*.py")]:
        for call in re.findall(calls, source.read_text(encoding="utf-8")):
            names |= set(re.findall(r'name=f?"([^"]+)"', call))
    assert {"group-commit", "sealer"} <= names, names
    documented = re.findall(r"`([\w.-]+)`", ARCHITECTURE)
    for name in names:  # f"follower-{follower.upstream}": follower-registry, follower-dialogue
        pattern = re.sub(r"\\\{[^}]*\\\}", "[a-z]+", re.escape(name))
        assert any(re.fullmatch(pattern, d) for d in documented), name


def test_the_modules_the_architecture_page_names_exist() -> None:
    for path in re.findall(r"`((?:shared|services)/[\w/]+\.py)`", ARCHITECTURE):
        assert (ROOT / path).is_file(), path

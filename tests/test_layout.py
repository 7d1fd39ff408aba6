"""The shape of the code: the product apart from its tools, imports one way, no import state."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("indexer", "webui")
# What measures or tests the product; none of it may be imported by what the wheel ships.
TOOLS = frozenset({"ir_measures", "pytest", "hypothesis", "playwright", "scipy", "tests"})


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Top-level names of everything ``path`` imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_the_wheel_ships_the_product_only() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["packages"]["find"]["include"] == ["indexer*", "webui*"]
    assert not (ROOT / "indexer" / "benchmarks").exists()
    assert not (ROOT / "indexer" / "reliability").exists()


@pytest.mark.parametrize("path", [p for pkg in PRODUCT for p in modules(pkg)], ids=str)
def test_no_product_module_imports_a_tool(path: Path) -> None:
    assert {name.split(".")[0] for name in imports(path)} & TOOLS == set()


@pytest.mark.parametrize("path", modules("indexer"), ids=str)
def test_the_indexer_never_imports_the_web_front_end(path: Path) -> None:
    assert {name.split(".")[0] for name in imports(path)} & {"webui", "flask", "werkzeug"} == set()


@pytest.mark.parametrize("path", modules("webui"), ids=str)
def test_the_web_front_end_never_imports_whoosh(path: Path) -> None:
    assert not any(name.split(".")[0] == "whoosh" for name in imports(path))


def _reads_environment(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and n.attr in ("environ", "getenv") for n in ast.walk(node)
    )


@pytest.mark.parametrize("path", [p for pkg in PRODUCT for p in modules(pkg)], ids=str)
def test_no_module_reads_the_environment_at_import(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Module-level statements other than function and class definitions run at import.
    at_import = [
        node
        for node in tree.body
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    assert not any(_reads_environment(node) for node in at_import)
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        body = [n for n in cls.body if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        assert not any(_reads_environment(n) for n in body), cls.name


# The stages below the query path and what each may import from the product: analysis and
# documents are pure, so a backend or the search code can use them, never the reverse.
LAYERS = {
    "text": {"indexer.config", "indexer.text"},
    "documents": {"indexer.config", "indexer.text", "indexer.documents"},
}


def _product_imports(path: Path) -> set[str]:
    """The ``indexer.<package>`` prefixes (or ``indexer.config``) that ``path`` imports."""
    found = set()
    for name in imports(path):
        parts = name.split(".")
        if parts[0] == "indexer" and len(parts) > 1:
            found.add(".".join(parts[:2]))
    return found


@pytest.mark.parametrize(
    ("layer", "path"),
    [(layer, p) for layer in LAYERS for p in modules(f"indexer/{layer}")],
    ids=str,
)
def test_a_lower_stage_imports_nothing_above_it(layer: str, path: Path) -> None:
    assert _product_imports(path) - LAYERS[layer] == set()


def test_the_stages_are_packages() -> None:
    found = {p.parent.relative_to(ROOT / "indexer").as_posix() for p in modules("indexer")}
    assert found == {
        ".",
        "text",
        "documents",
        "ingest",
        "search",
        "backends",
        "backends/whoosh",
        "backends/opensearch",
    }
    assert sorted(p.name for p in (ROOT / "indexer").glob("*.py")) == [
        "__init__.py",
        "cli.py",
        "config.py",
    ]


ENGINES = ("whoosh", "opensearchpy", "indexer.backends.whoosh", "indexer.backends.opensearch")


@pytest.mark.parametrize(
    "path",
    modules("indexer/search") + modules("webui") + [ROOT / "indexer/backends/base.py"],
    ids=str,
)
def test_search_ingestion_and_the_web_front_end_name_no_engine(path: Path) -> None:
    named = {name for name in imports(path) if name.startswith(ENGINES)}
    assert named == set()

"""The imports between first-party apps, and the cycles among them (issue 13 §5).

    python scripts/app_imports.py            # the app graph and its cycles; exit status 1 on an import cycle
    python scripts/app_imports.py --verbose  # also the module and line of each import

An import is any `import x` or `from x import y` of another app, at module level or inside a function
(a lazy import is still a dependency). Model relations named by string ("referrals.Patient") are listed
apart: a foreign key may point up the layers, and that is the one place it may. Migrations are left out
(they record history, not the layout), and so are tests and `sot/` (the project: settings, urls, and
helpers shared by every app).
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "tests", "scripts", "migrations", "locale", "templates", "static", "var", "staticfiles"}
MODEL_REFERENCE = re.compile(r"^([a-z_]+)\.[A-Z]\w*$")

Edges = dict[tuple[str, str], list[str]]


def app_names() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name not in SKIP_DIRS)


def edges(apps: list[str]) -> tuple[Edges, Edges]:
    """(imports, model relations by name): (from app, to app) → where, as path:line."""
    imports: Edges = defaultdict(list)
    relations: Edges = defaultdict(list)
    for app in apps:
        for path in _modules(app):
            where = path.relative_to(ROOT)
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                kind, targets = _references(node)
                found = imports if kind == "import" else relations
                for other in {target.split(".")[0] for target in targets}:
                    if other in apps and other != app:
                        found[app, other].append(f"{where}:{getattr(node, 'lineno', 0)}")
    return imports, relations


def _modules(app: str) -> list[Path]:
    return [p for p in sorted((ROOT / app).rglob("*.py")) if not SKIP_DIRS & set(p.relative_to(ROOT).parts)]


def _references(node: ast.AST) -> tuple[str, list[str]]:
    """What a node names: ("import", modules) for an import, ("relation", [app]) for "app.Model"."""
    if isinstance(node, ast.Import):
        return "import", [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return "import", [node.module]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        match = MODEL_REFERENCE.match(node.value)
        return "relation", [match.group(1)] if match else []
    return "import", []


def cycles(apps: list[str], *edge_sets: Edges) -> list[list[str]]:
    """Groups of apps that reach each other (strongly connected components larger than one; Tarjan)."""
    graph: dict[str, set[str]] = {app: set() for app in apps}
    for found in edge_sets:
        for source, target in found:
            graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    result: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            component.append(node)
            if len(component) > 1:
                result.append(sorted(component))

    for node in apps:
        if node not in index:
            visit(node)
    return result


def main() -> int:
    verbose = "--verbose" in sys.argv
    apps = app_names()
    imports, relations = edges(apps)
    _print_imports(apps, imports, verbose=verbose)
    mutual = sorted((a, b) for a, b in imports if a < b and (b, a) in imports)
    import_cycles = cycles(apps, imports)
    print(f"Apps importing each other: {len(mutual)}" + "".join(f"\n  {a} <-> {b}" for a, b in mutual))
    _print_cycles("Import cycles", import_cycles)
    upward = {pair: where for pair, where in relations.items() if pair not in imports}
    print("Model relations by name that no import covers:")
    for (source, target), where in sorted(upward.items()):
        print(f"  {source} -> {target}: {', '.join(where)}")
    _print_cycles("Cycles when those relations count too", cycles(apps, imports, relations))
    return 1 if import_cycles else 0


def _print_imports(apps: list[str], imports: Edges, *, verbose: bool) -> None:
    print("Imports between apps:")
    for app in apps:
        targets = sorted(target for source, target in imports if source == app)
        print(f"  {app:14} -> {', '.join(targets) or '-'}")
        if verbose:
            for target in targets:
                print(f"  {'':17}{target}: {', '.join(imports[app, target])}")


def _print_cycles(title: str, found: list[list[str]]) -> None:
    print(f"{title}: {len(found)}" + "".join(f"\n  {' <-> '.join(c)}" for c in found))


if __name__ == "__main__":
    sys.exit(main())

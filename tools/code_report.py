"""The shape of the code under lab/: layers, cycles, imports inside functions, sizes, examples.

Reads only source files (the ``ast`` module; nothing is imported), so it runs anywhere::

    python tools/code_report.py          # the report
    python tools/code_report.py --strict # exit 1 when a rule is broken
    python tools/code_report.py --root OLD_CHECKOUT --rules .  # an older tree, today's rules

The layer order lives in one place, ``[tool.clipping-lab.layers]`` of ``pyproject.toml``
(lowest layer first; a module may import modules of its own layer and of lower layers, never
of a higher one). The test suite applies the same rules through this module
(``tests/test_layers.py``, ``tests/test_code_size.py``).

Rules:

* **layers**: an import from a module of layer i of a module of layer j > i is a violation;
* **cycles**: no cycle between packages (``lab.functions``, ``lab.smoothness``, ...; each
  top-level module such as ``lab.errors`` counts as its own package) nor between modules;
* **imports at module top**: an import inside a function or method is allowed only for the
  optional dependencies listed in ``lazy`` (their absence must not break ``import lab``) and for
  the lab modules listed in ``lazy-modules`` with the reason (an import-time cost paid only by
  some calls);
* **sizes**: no module over :data:`MAX_MODULE_LINES` lines, no function over
  :data:`MAX_FUNCTION_LINES` lines;
* **docstring examples**: every ``>>>`` example in a docstring under lab/ is collected by
  ``python -m pytest`` (``--doctest-modules``); examples marked ``+SKIP`` are counted apart.
"""

from __future__ import annotations

import argparse
import ast
import doctest
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

#: the largest module, in lines
MAX_MODULE_LINES = 400

#: the largest function (def line to last line, docstring included), in lines
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Import:
    """One import statement's edge: ``source`` imports ``target`` at ``path:line``."""

    source: str
    target: str
    path: str
    line: int
    in_function: bool
    type_checking: bool = False


@dataclass
class Config:
    """The rules from ``pyproject.toml``."""

    layers: list[list[str]]
    lazy: set[str] = field(default_factory=set)
    lazy_modules: dict[str, str] = field(default_factory=dict)

    def layer_of(self, module: str) -> int | None:
        """The index of the layer holding ``module`` (longest matching prefix), or None."""
        best, best_len = None, -1
        for index, names in enumerate(self.layers):
            for name in names:
                if (module == name or module.startswith(name + ".")) and len(name) > best_len:
                    best, best_len = index, len(name)
        return best

    def describe(self, index: int) -> str:
        """``layer 2 (lab.smoothness)``."""
        return f"layer {index} ({', '.join(self.layers[index])})"


def load_config(root: Path = ROOT) -> Config:
    """The rules of ``[tool.clipping-lab.layers]`` in ``root/pyproject.toml``."""
    with open(root / "pyproject.toml", "rb") as handle:
        table = tomllib.load(handle)["tool"]["clipping-lab"]["layers"]
    return Config(layers=[list(layer) for layer in table["order"]], lazy=set(table["lazy"]),
                  lazy_modules=dict(table.get("lazy-modules", {})))


def module_name(path: Path, root: Path = ROOT) -> str:
    """``lab/functions/base.py`` -> ``lab.functions.base``; ``__init__`` is its package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path = ROOT, package: str = "lab") -> list[Path]:
    """Every ``.py`` file of the package, sorted."""
    return sorted(p for p in (root / package).rglob("*.py") if "__pycache__" not in p.parts)


def package_of(module: str) -> str:
    """The package a module belongs to for the package graph: ``lab.X`` for ``lab.X.*``."""
    parts = module.split(".")
    return ".".join(parts[:2])


class _ImportVisitor(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: set[str], path: str) -> None:
        self.module, self.is_package, self.known, self.path = module, is_package, known, path
        self.depth = 0
        self.type_checking = 0
        self.found: list[Import] = []

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        test = ast.unparse(node.test)
        guarded = test in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        self.type_checking += guarded
        for child in node.body:
            self.visit(child)
        self.type_checking -= guarded
        for child in node.orelse:
            self.visit(child)

    def _add(self, target: str, line: int) -> None:
        self.found.append(Import(self.module, target, self.path, line, self.depth > 0,
                                 self.type_checking > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.is_package:
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        for alias in node.names:
            full = f"{stem}.{alias.name}"
            self._add(full if full in self.known else stem, node.lineno)


def imports(root: Path = ROOT) -> list[Import]:
    """Every import statement under lab/, resolved to a module where it names one."""
    files = source_files(root)
    known = {module_name(p, root) for p in files}
    out: list[Import] = []
    for path in files:
        name = module_name(path, root)
        visitor = _ImportVisitor(name, path.name == "__init__.py", known,
                                 path.relative_to(root).as_posix())
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        out += visitor.found
    return out


def internal(edges: Iterable[Import], package: str = "lab") -> list[Import]:
    """The edges between modules of the package (runtime imports only)."""
    return [e for e in edges if (e.target == package or e.target.startswith(package + "."))
            and not e.type_checking]


def _resolve(target: str, known: set[str]) -> str:
    """The module an import target lands in (``lab.x.y.NAME`` -> ``lab.x.y``)."""
    while target not in known and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def layer_violations(edges: Iterable[Import], config: Config) -> list[str]:
    """One line per import of a higher layer (or of a module that is in no layer)."""
    out = []
    for e in internal(edges):
        src, dst = config.layer_of(e.source), config.layer_of(e.target)
        if src is None or dst is None:
            missing = e.source if src is None else e.target
            out.append(f"{e.path}:{e.line}: {missing} is in no layer of "
                       "[tool.clipping-lab.layers] in pyproject.toml: add it there")
        elif dst > src:
            out.append(f"{e.path}:{e.line}: {e.source} ({config.describe(src)}) imports "
                       f"{e.target} ({config.describe(dst)}): a lower layer never imports "
                       "a higher one")
    return out


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return sorted(out)


def _edge_lines(edges: list[Import], component: list[str], key) -> list[str]:
    members = set(component)
    return sorted({f"{e.path}:{e.line}: {e.source} -> {e.target}" for e in edges
                   if key(e.source) in members and key(e.target) in members
                   and key(e.source) != key(e.target)})


def package_cycles(edges: Iterable[Import]) -> list[tuple[list[str], list[str]]]:
    """Cycles between packages: (the packages, the imports that close the cycle)."""
    inner = internal(edges)
    graph: dict[str, set[str]] = {}
    for e in inner:
        a, b = package_of(e.source), package_of(e.target)
        if a != b:
            graph.setdefault(a, set()).add(b)
    return [(c, _edge_lines(inner, c, package_of)) for c in strongly_connected(graph)]


def module_cycles(edges: Iterable[Import], root: Path = ROOT) -> list[tuple[list[str], list[str]]]:
    """Cycles between modules (a package's ``__init__`` is the package's module)."""
    known = {module_name(p, root) for p in source_files(root)}
    inner = internal(edges)
    graph: dict[str, set[str]] = {}
    resolved = []
    for e in inner:
        a, b = e.source, _resolve(e.target, known)
        resolved.append(Import(a, b, e.path, e.line, e.in_function))
        if a != b:
            graph.setdefault(a, set()).add(b)
    return [(c, _edge_lines(resolved, c, lambda m: m)) for c in strongly_connected(graph)]


def imports_in_functions(edges: Iterable[Import], config: Config) -> list[str]:
    """Imports inside functions that neither an optional dependency (``lazy``) nor a listed
    module with its reason (``lazy-modules``) justifies, one line per statement and target."""
    out = set()
    for e in edges:
        if not e.in_function or e.target.split(".")[0] in config.lazy:
            continue
        if any(e.target == m or e.target.startswith(m + ".") for m in config.lazy_modules):
            continue
        out.add((e.path, e.line, f"{e.path}:{e.line}: {e.source} imports {e.target} inside a "
                                 "function (move it to the module top)"))
    return [text for _, _, text in sorted(out)]


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def sizes(root: Path = ROOT) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(modules over the limit, functions over the limit) as (where, lines) pairs."""
    modules, functions = [], []
    for path in source_files(root):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        n = len(text.splitlines())
        if n > MAX_MODULE_LINES:
            modules.append((rel, n))
        for fn in _functions(ast.parse(text)):
            length = fn.end_lineno - fn.lineno + 1
            if length > MAX_FUNCTION_LINES:
                functions.append((f"{rel}:{fn.lineno} {fn.name}", length))
    return modules, functions


def docstring_examples(root: Path = ROOT) -> tuple[int, int, int]:
    """(examples in docstrings under lab/, docstrings holding them, examples marked +SKIP)."""
    parser = doctest.DocTestParser()
    examples = docstrings = skipped = 0
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):  # the module first, then every node inside
            if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                     ast.AsyncFunctionDef)):
                continue
            text = ast.get_docstring(node, clean=False)
            if not text or ">>>" not in text:
                continue
            found = parser.get_examples(text)
            if found:
                docstrings += 1
                examples += len(found)
                skipped += sum(bool(ex.options.get(doctest.SKIP)) for ex in found)
    return examples, docstrings, skipped


def report(root: Path = ROOT, rules: Path | None = None) -> tuple[str, int]:
    """The report text and the number of broken rules (layer table from ``rules`` or ``root``)."""
    config = load_config(root if rules is None else rules)
    edges = imports(root)
    lines, broken = [], 0

    def section(title: str, items: list[str]) -> None:
        nonlocal broken
        broken += len(items)
        lines.append(f"{title}: {len(items)}")
        lines.extend(f"  {item}" for item in items)

    section("layer violations", layer_violations(edges, config))
    section("package cycles", [f"{' <-> '.join(c)}: " + "; ".join(e)
                               for c, e in package_cycles(edges)])
    section("module cycles", [f"{' <-> '.join(c)}: " + "; ".join(e)
                              for c, e in module_cycles(edges, root)])
    section("imports inside functions without a listed reason",
            imports_in_functions(edges, config))
    modules, functions = sizes(root)
    section(f"modules over {MAX_MODULE_LINES} lines", [f"{w} ({n})" for w, n in modules])
    section(f"functions over {MAX_FUNCTION_LINES} lines", [f"{w} ({n})" for w, n in functions])
    statements = {(e.path, e.line) for e in edges}
    inside = {(e.path, e.line) for e in edges if e.in_function}
    lines.append(f"import statements: {len(statements)} ({len(inside)} inside functions)")
    examples, docstrings, skipped = docstring_examples(root)
    with open(root / "pyproject.toml", "rb") as handle:
        pytest_ini = tomllib.load(handle).get("tool", {}).get("pytest", {}).get("ini_options", {})
    collected = ("all collected by `python -m pytest`"
                 if "--doctest-modules" in str(pytest_ini.get("addopts", ""))
                 else "`python -m pytest` does not collect them (no --doctest-modules)")
    lines.append(f"docstring examples: {examples} in {docstrings} docstrings "
                 f"({skipped} marked +SKIP); {collected}")
    return "\n".join(lines), broken


def main(argv: list[str] | None = None) -> int:
    """Print the report; with ``--strict`` exit 1 when a rule is broken."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository root")
    parser.add_argument("--rules", type=Path, default=None,
                        help="read [tool.clipping-lab.layers] from this repository's "
                             "pyproject.toml instead of --root's (to report an older checkout)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a rule is broken")
    args = parser.parse_args(argv)
    text, broken = report(args.root.resolve(), None if args.rules is None else args.rules.resolve())
    print(text)
    return 1 if args.strict and broken else 0


if __name__ == "__main__":
    sys.exit(main())

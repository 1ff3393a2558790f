"""The layers of the code, held by reading the imports (`if TYPE_CHECKING:` ones, which never run,
left out):

    bot/        the shell: settings, wiring, command line, channels; imported by nothing
    dashboard/  the shell's web pages for coordinators; imported by bot/ alone
    handlers/   the features         scheduler/   the ticks
    core/       the conversation core: no messenger, no process
    storage/    the database, files and keys; of the core only its data types
    content/    texts and data

and no feature module imports another's screens: they meet through the router's registries."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "dashboard", "handlers", "scheduler", "core", "storage", "content")
MAY_IMPORT = {
    "bot": set(PACKAGES),
    "dashboard": {"dashboard", "handlers", "core", "storage", "content"},
    "handlers": {"handlers", "core", "storage", "content"},
    "scheduler": {"scheduler", "core", "storage", "content"},
    "core": {"core", "storage", "content"},
    "storage": {"storage", "content", "core"},  # of the core, only CORE_FOR_STORAGE
    "content": {"content"},
}
# What storage may take from the core: its data types and its pure time rules, which know
# nothing of the rest.
CORE_FOR_STORAGE = {"core.messages", "core.timing"}
# Modules every feature may use: the shared helpers of the features, not a feature.
SHARED_HANDLER_MODULES = {
    "handlers", "handlers.common", "handlers.directory", "handlers.forms", "handlers.form_fields", "handlers.reporting",
    "handlers.report_actions",
}
# The command line imports what each command needs when it runs, so that a typo in a setting is
# told before the slow imports: its lazy imports hide no circle.
LAZY_BY_DESIGN = {"bot.__main__"}


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(module imported, whether inside a function) for each import that runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, in_function))
                found.extend((f"{child.module}.{alias.name}", in_function) for alias in child.names)
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return found


def our_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def test_each_layer_imports_only_the_layers_below_it() -> None:
    modules = our_modules()
    wrong = []
    for name, path in modules.items():
        layer = name.split(".")[0]
        for imported, _ in imports_of(path):
            target = imported.split(".")[0]
            if target not in PACKAGES or imported not in modules and ".".join(imported.split(".")[:-1]) not in modules:
                continue
            if target not in MAY_IMPORT[layer]:
                wrong.append(f"{name} imports {imported}")
            elif layer == "storage" and target == "core" and not any(
                imported == allowed or imported.startswith(allowed + ".") for allowed in CORE_FOR_STORAGE
            ):
                wrong.append(f"{name} imports {imported} (storage takes only the core's data types)")
    assert wrong == []


def test_no_feature_imports_another_and_no_import_hides_in_a_function() -> None:
    modules = our_modules()
    wrong = []
    for name, path in modules.items():
        for imported, in_function in imports_of(path):
            if imported not in modules and ".".join(imported.split(".")[:-1]) not in modules:
                continue
            module = imported if imported in modules else ".".join(imported.split(".")[:-1])
            if in_function and name not in LAZY_BY_DESIGN:
                wrong.append(f"{name} imports {module} inside a function")
            if (name.startswith("handlers.") and module.startswith("handlers.") and module != name
                    and module not in SHARED_HANDLER_MODULES and name not in SHARED_HANDLER_MODULES):
                wrong.append(f"{name} imports the feature {module}")
    assert sorted(set(wrong)) == []

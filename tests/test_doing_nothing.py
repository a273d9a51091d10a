"""Doing nothing scores nothing: a submission whose functions do nothing earns 0 on every kata.

Each variant is built at test time from the stubs in exercises/: every ``raise NotImplementedError``
line becomes the variant's body at the same indentation, so classes and signatures stay exactly
as in the contract. Side rules (inputs untouched, a Python float returned, raising on bad input,
...) are easy to satisfy by doing nothing; they earn points only once a kata's results are right.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

import pytest

from grader.grading.engine import Job
from grader.grading.plugin import GradingPlugin, gate_rules, gated_message
from grader.model import Grade
from grader.model import TestResult as Result  # renamed: pytest collects classes named Test*
from grader.sandbox.limits import Limits
from grader.submission import Located

from .conftest import EXERCISES, build_submission

# ---------------------------------------------------------------- the gate, on its own


def passed(name: str) -> Result:
    return Result(name=name, status="passed", score=1, max_score=1)


def failed(name: str) -> Result:
    return Result(name=name, status="failed", score=0, max_score=1, message=f"{name} is wrong")


def test_rules_count_once_every_result_passes():
    tests = [passed("value"), passed("inputs untouched"), passed("gradient")]
    assert gate_rules("02_losses/mse", tests, [False, True, False]) == tests


def test_a_passing_rule_scores_0_while_a_result_does_not_pass():
    timed_out = Result(name="slow value", status="timeout", score=0, max_score=1, message="too slow")
    tests = [passed("inputs untouched"), passed("value"), failed("float"), failed("dtype"), timed_out]
    gated = gate_rules("02_losses/mse", tests, [True, False, True, False, False])
    message = gated_message("02_losses/mse", 2, 3)
    assert gated == [Result(name="inputs untouched", status="failed", score=0, max_score=1,
                                message=message), *tests[1:]]  # a failing rule keeps its own message
    assert message.endswith("(2 of its 3 result tests do not pass yet)")
    assert gated_message("k", 1, 4).endswith("(1 of its 4 result tests does not pass yet)")
    assert gated_message("k", 4, 4).endswith("(none of its 4 result tests pass yet)")
    assert gated_message("k", 1, 1).endswith("(its result test does not pass yet)")


def test_a_kata_without_a_result_test_earns_no_rule_points():
    gated = gate_rules("k", [passed("inputs untouched")], [True])
    assert gated[0].score == 0 and gated[0].message.startswith("grader error")


def test_a_suite_of_rules_only_is_refused():
    def item(path: str, rule: bool) -> SimpleNamespace:
        markers = {"points": SimpleNamespace(name="points", args=(1,))}
        if rule:
            markers["rule"] = SimpleNamespace(name="rule", args=())
        return SimpleNamespace(path=Path(path), nodeid=path, get_closest_marker=markers.get)

    plugin = GradingPlugin(Limits())
    plugin.pytest_collection_modifyitems([
        item("suites/02_losses/test_mse.py", True), item("suites/02_losses/test_mse.py", False),
        item("suites/02_losses/test_sqrt_loss.py", True)])
    assert plugin.collection_errors == [
        "02_losses/sqrt_loss: every test is marked rule; a kata needs a result test"]


# ---------------------------------------------------------------- do-nothing submissions, graded


@dataclass(frozen=True)
class Stubbed:
    """A function whose body the stub leaves to the learner."""

    name: str
    params: tuple[str, ...]  # positional and keyword parameters, without self or cls


def _stub_lines(source: str) -> Iterator[tuple[int, Stubbed]]:
    """(line number, enclosing function) of each ``raise NotImplementedError(...)`` in a stub."""
    def walk(node: ast.AST, in_class: bool) -> Iterator[tuple[int, Stubbed]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef):
                args = [a.arg for a in (*child.args.posonlyargs, *child.args.args, *child.args.kwonlyargs)]
                function = Stubbed(child.name, tuple(args[1:] if in_class else args))
                for statement in ast.walk(child):
                    if (isinstance(statement, ast.Raise) and isinstance(statement.exc, ast.Call)
                            and getattr(statement.exc.func, "id", "") == "NotImplementedError"):
                        yield statement.lineno, function
            else:
                yield from walk(child, isinstance(child, ast.ClassDef))
    yield from walk(ast.parse(source), False)


def _first_tensor(params: tuple[str, ...], make: str) -> str:
    """The first tensor or numpy array among the arguments, made into ``make`` (a format of ``a``)."""
    if not params:
        return "return None"
    found = make.format(a="a")
    return (f"import numpy, torch; return next(({found} for a in ({', '.join(params)},) "
            "if isinstance(a, (torch.Tensor, numpy.ndarray))), None)")


def _argument(function: Stubbed, index: int) -> str:
    """Return one argument as it came: params[index], or the last one when there are fewer."""
    params = function.params
    if function.name == "__init__" or not params:
        return "return None"
    return f"return {params[index] if index < len(params) else params[-1]}"


# variant name -> the body of a stubbed function. __init__ can only return None.
VARIANTS: dict[str, Callable[[Stubbed], str]] = {
    "return None": lambda f: "return None",
    "pass": lambda f: "pass",
    "return the first argument": lambda f: (
        f"return {f.params[0]}" if f.params and f.name != "__init__" else "return None"),
    "return 0.0": lambda f: "return None" if f.name == "__init__" else "return 0.0",
    "return 1.0": lambda f: "return None" if f.name == "__init__" else "return 1.0",
    "return True": lambda f: "return None" if f.name == "__init__" else "return True",
    "return False": lambda f: "return None" if f.name == "__init__" else "return False",
    "return zeros like the first tensor": lambda f: (
        "return None" if f.name == "__init__" else _first_tensor(
            f.params, "(torch.zeros_like({a}) if isinstance({a}, torch.Tensor) else numpy.zeros_like({a}))")),
    "return a copy of the first tensor": lambda f: (
        "return None" if f.name == "__init__" else _first_tensor(
            f.params, "({a}.detach().clone() if isinstance({a}, torch.Tensor) else {a}.copy())")),
    "raise ValueError": lambda f: 'raise ValueError("no")',
    "raise ArithmeticError": lambda f: 'raise ArithmeticError("no")',
    "return the second argument": lambda f: _argument(f, 1),
    "return the last argument": lambda f: _argument(f, -1),
    "return math.inf": lambda f: "return None" if f.name == "__init__" else "return float('inf')",
    "return torch.tensor(0.0)": lambda f: (
        "return None" if f.name == "__init__" else "import torch; return torch.tensor(0.0)"),
    "return a 0 of the first tensor's dtype": lambda f: (
        "return None" if f.name == "__init__" else _first_tensor(
            f.params, "({a}.new_zeros(()) if isinstance({a}, torch.Tensor) else {a}.dtype.type(0))")),
}


def do_nothing(stub: str, body: Callable[[Stubbed], str]) -> str:
    """The stub with each NotImplementedError line replaced by ``body`` of its function."""
    lines = stub.splitlines(keepends=True)
    replaced = dict(_stub_lines(stub))
    assert replaced, "the stub has no NotImplementedError line to replace"
    for number, function in replaced.items():
        line = lines[number - 1]
        assert line.lstrip().startswith("raise NotImplementedError("), line
        indent = line[: len(line) - len(line.lstrip())]
        lines[number - 1] = f"{indent}{body(function)}\n"
    source = "".join(lines)
    compile(source, "<do-nothing>", "exec")
    return source


def test_the_stubs_are_rewritten_whole(manifest):
    """Every stub line is found, in a function, so each variant replaces all of a kata's code."""
    for kata in manifest.katas:
        stub = (EXERCISES / kata.relative_file).read_text()
        for variant in VARIANTS.values():
            assert "NotImplementedError" not in do_nothing(stub, variant), kata.id


@pytest.fixture(scope="module")
def do_nothing_grades(engine, manifest, tmp_path_factory) -> dict[str, Grade]:
    """Every variant's submission, graded two at a time (one judge per core)."""
    root = tmp_path_factory.mktemp("do-nothing")
    jobs = []
    for number, body in enumerate(VARIANTS.values()):
        sources = {kata.id: do_nothing((EXERCISES / kata.relative_file).read_text(), body)
                   for kata in manifest.katas}
        folder = build_submission(root / f"variant{number}", sources, base=EXERCISES)
        jobs.append(Job(str(number), Located(folder, PurePosixPath("exercises"))))
    grades: dict[str, Grade] = {}
    engine.grade_many(jobs, workers=2, on_graded=lambda job, grade: grades.__setitem__(job.name, grade))
    return {variant: grades[str(number)] for number, variant in enumerate(VARIANTS)}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_doing_nothing_scores_nothing(do_nothing_grades, manifest, variant: str):
    grade = do_nothing_grades[variant]
    assert {kata.id for kata in grade.katas} == {kata.id for kata in manifest.katas}
    scored = [f"{kata.id} :: {test.name} ({test.score:g}): {(test.message or '-').splitlines()[0]}"
              for kata in grade.katas for test in kata.tests if test.score > 0]
    # the files ran: a kata that does not import would score 0 for another reason
    broken = [kata.id for kata in grade.katas if kata.status in ("error", "missing")]
    assert broken == []
    assert scored == [], f"{variant!r} scored {grade.score:g}/{grade.max_score:g}:\n" + "\n".join(scored)

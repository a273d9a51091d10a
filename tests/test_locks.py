"""The locks themselves: what the grade reports, and the normal-user plan (Landlock alone)."""

from __future__ import annotations

import os
import tempfile

import pytest

from grader import model
from grader.sandbox import landlock, lockdown

from .conftest import REPO, in_forked_child


def test_a_normal_users_plan_names_what_it_lacks_and_why():
    plan = lockdown.prepare(tempfile.mkdtemp(), privileged=False)
    report = plan.report()
    assert set(report["active"]) | set(report["inactive"]) == set(lockdown.LOCKS)
    assert {"user", "processes", "memory", "cpu", "network", "scratch"} <= set(report["inactive"])
    assert "limits" in report["active"] and "64 MiB (RLIMIT_FSIZE)" in report["inactive"]["scratch"]
    assert all(report["inactive"].values())
    assert ("files" in report["active"]) == (landlock.abi_version() > 0)
    assert not plan.learner_uids and not plan.cgroups and not plan.network_namespace


@pytest.mark.parametrize(("uid_map", "gid_map", "why"), [
    ("0 0 4294967295", "0 0 4294967295", ""),  # the machine's own namespace
    ("0 1000 1", "0 1000 1", "uids above 0 are not mapped in this user namespace"),  # unshare -r
    ("0 1000 1\n1 100000 65536", "0 0 4294967295", "uids above 65,536 are not mapped"),  # rootless Podman
    ("0 0 2000000000\n2000000000 9 100", "0 0 4294967295", "uids 2,000,000,000 to 2,004,194,304 are not all"),
    ("0 0 1000\n1000 5000 4294966295", "0 0 4294967295", ""),  # inside one line of several
    ("0 0 4294967295", "0 1000 1", "gids above 0 are not mapped in this user namespace"),
])
def test_learner_uids_are_used_only_where_this_user_namespace_maps_them(tmp_path, uid_map, gid_map, why):
    (tmp_path / "uid_map").write_text(uid_map + "\n")
    (tmp_path / "gid_map").write_text(gid_map + "\n")
    found = lockdown.unmapped_learner_ids(str(tmp_path / "uid_map"), str(tmp_path / "gid_map"))
    assert why in found and bool(found) == bool(why), found


def test_readable_paths_leave_out_the_graders_checkout():
    paths = lockdown.readable_paths()
    for secret in (REPO / "solutions", REPO / "grader" / "suites", REPO / "grader"):
        assert not any(secret.is_relative_to(path) for path in paths), secret


@pytest.mark.skipif(landlock.abi_version() == 0, reason="Landlock is missing from this kernel")
def test_with_a_normal_users_locks_learner_code_reads_only_what_it_needs(tmp_path):
    kata_folder = REPO / "exercises" / "02_losses"  # a learner's folder: the stubs
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    def locked_then_probe() -> dict:
        plan = lockdown.prepare(str(tmp_path), privileged=False)
        folder = os.open(kata_folder, os.O_PATH | os.O_DIRECTORY)
        lockdown.apply(plan, str(scratch), folder, uid=None)
        seen = {}
        for name, path in {"solution by name": REPO / "solutions" / "02_losses" / "mse.py",
                           "suite": REPO / "grader" / "suites" / "02_losses" / "test_mse.py",
                           "own kata through its folder": f"/proc/self/fd/{folder}/mse.py",
                           "torch": os.path.join(os.path.dirname(__import__("torch").__file__),
                                                 "__init__.py")}.items():
            try:
                with open(path) as file:
                    file.read(1)
                seen[name] = "read"
            except OSError as error:
                seen[name] = error.strerror
        try:
            (REPO / "grader" / "poisoned.py").write_text("x")
            seen["grader write"] = "written"
        except OSError as error:
            seen["grader write"] = error.strerror
        (scratch / "notes.txt").write_text("scratch is writable")
        seen["scratch"] = "written"
        return seen

    seen = in_forked_child(locked_then_probe)
    assert seen == {"solution by name": "Permission denied", "suite": "Permission denied",
                    "own kata through its folder": "read", "torch": "read",
                    "grader write": "Permission denied", "scratch": "written"}
    assert not (REPO / "grader" / "poisoned.py").exists()


def test_missing_locks_are_named_on_the_command_line_and_in_the_report():
    from grader.class_model import ClassRecord
    from grader.formats import html
    from grader.model import Grade

    locked = Grade("alice", locks={"active": list(lockdown.LOCKS), "inactive": {}})
    open_ = Grade("bob", locks={"active": ["files"], "inactive": {"network": "needs root"}})
    assert model.locks_warning(locked.locks) is None
    assert "network: needs root" in model.locks_warning(open_.locks)
    ids: list[str] = []
    assert "network: needs root" in html.render(ClassRecord([locked, open_], ids))
    assert "class='warning'" not in html.render(ClassRecord([locked], ids))

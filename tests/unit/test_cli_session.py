"""``python -m toolkit session ...``: create, submit, withdraw, summary, export."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import openpyxl
import pytest

from toolkit.cli.main import main


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("TOOLKIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("TOOLKIT_FACILITATOR_KEY", raising=False)
    monkeypatch.setenv("TOOLKIT_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def run(capsys, args):
    status = main(args)
    out = capsys.readouterr()
    return status, out.out, out.err


def run_json(capsys, args):
    status, out, err = run(capsys, args + ["--format", "json"])
    assert status == 0, err
    return json.loads(out)


def figures(name="Fictional service", people="40", new="10", retained="8"):
    return [
        "--name",
        name,
        "--cost",
        "£100,000",
        "--supported",
        people,
        "--new-jobs",
        new,
        "--retained",
        retained,
        "--self-employed",
        "0",
    ]


@pytest.fixture
def session(capsys):
    return run_json(
        capsys, ["session", "create", "--title", "March network", "--date", "2025-03-14"]
    )


def submit(capsys, code, *extra, **kwargs):
    return run_json(capsys, ["session", "submit", code, *figures(**kwargs), "--consent", *extra])


def test_create_gives_a_code_and_a_private_key(capsys, session):
    assert set(session) >= {"code", "facilitator_key"}
    assert len(session["code"]) == 14 and len(session["facilitator_key"]) >= 43
    status, out, _ = run(capsys, ["session", "create", "--title", "Another"])
    assert status == 0
    assert "private" in out and "Code" in out


def test_submit_without_consent_says_what_would_be_shared(capsys, session):
    status, out, err = run(capsys, ["session", "submit", session["code"], *figures()])
    assert status == 2 and out == ""
    assert err.count("\n") == 1
    assert "--consent" in err and "cost" in err and "facilitator" in err
    summary = run_json(
        capsys,
        ["session", "summary", session["code"], "--facilitator-key", session["facilitator_key"]],
    )
    assert summary["services"] == 0


def test_submit_and_summary(capsys, session):
    code, key = session["code"], session["facilitator_key"]
    submitted = [
        submit(capsys, code.lower(), name="Leeds"),
        submit(capsys, code, "--anonymous", name="Secret Town", new="12"),
        submit(capsys, code.replace("-", " "), name="York", new="2", retained="1"),
    ]
    assert all(set(s) >= {"submission_id", "resume_token"} for s in submitted)
    summary = run_json(capsys, ["session", "summary", code, "--facilitator-key", key])
    assert summary["session"] == {
        "code": code,
        "title": "March network",
        "date": "2025-03-14",
        "closed": False,
    }
    assert summary["services"] == 3
    assert summary["pooled"]["total_cost"] == 300_000
    assert [e["shown_as"] for e in summary["submissions"]] == ["Leeds", "Service A", "York"]
    assert [e["submission_id"] for e in summary["submissions"]] == [
        s["submission_id"] for s in submitted
    ]
    assert summary["submissions"][2]["measures"]["job_outcomes"] is None
    assert "Secret Town" not in json.dumps(summary)

    status, text, _ = run(capsys, ["session", "summary", code, "--facilitator-key", key])
    assert status == 0
    assert "Pooled figures" in text and "Service A" in text and "not shown" in text


def test_resubmitting_with_the_resume_token_replaces_the_figures(capsys, session):
    first = submit(capsys, session["code"], new="10")
    again = submit(capsys, session["code"], "--resume-token", first["resume_token"], new="20")
    assert again["submission_id"] == first["submission_id"]
    summary = run_json(
        capsys,
        ["session", "summary", session["code"], "--facilitator-key", session["facilitator_key"]],
    )
    assert summary["services"] == 1
    assert summary["submissions"][0]["measures"]["new_jobs"] == 20


def test_withdraw(capsys, session):
    mine = submit(capsys, session["code"])
    args = ["session", "withdraw", session["code"], mine["submission_id"]]
    status, _, err = run(capsys, [*args, "--resume-token", "wrong"])
    assert status == 2 and "resume token" in err
    assert run_json(capsys, [*args, "--resume-token", mine["resume_token"]])["withdrawn"] is True
    summary = run_json(
        capsys,
        ["session", "summary", session["code"], "--facilitator-key", session["facilitator_key"]],
    )
    assert summary["services"] == 0


def test_wrong_key_and_unknown_code_give_the_same_message(capsys, session):
    code, key = session["code"], session["facilitator_key"]
    errors = []
    for args in (
        ["session", "summary", code, "--facilitator-key", "not-the-key"],
        ["session", "summary", "2222-2222-2222", "--facilitator-key", key],
        ["session", "summary", "rubbish", "--facilitator-key", key],
        ["session", "export", code, "--facilitator-key", "nope", "--out", "x.csv"],
    ):
        status, out, err = run(capsys, args)
        assert status == 2 and out == ""
        errors.append(err)
    assert len(set(errors)) == 1
    assert errors[0].count("\n") == 1


def test_the_key_can_come_from_the_environment(capsys, session, monkeypatch):
    monkeypatch.setenv("TOOLKIT_FACILITATOR_KEY", session["facilitator_key"])
    assert run_json(capsys, ["session", "summary", session["code"]])["services"] == 0
    monkeypatch.delenv("TOOLKIT_FACILITATOR_KEY")
    status, _, err = run(capsys, ["session", "summary", session["code"]])
    assert status == 2 and "--facilitator-key" in err


def test_export_honours_suppression_and_is_inert(capsys, session, tmp_path):
    code, key = session["code"], session["facilitator_key"]
    submit(capsys, code, name='=HYPERLINK("http://example.invalid")')
    submit(capsys, code, "--anonymous", name="Hidden Village")
    submit(capsys, code, name="Small", new="2", retained="1")

    out = tmp_path / "pack.csv"
    status, _, err = run(
        capsys, ["session", "export", code, "--facilitator-key", key, "--out", str(out)]
    )
    assert status == 0, err
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row["Service"][:2] for row in table] == ["Al", "'=", "Se", "Sm"]
    assert table[3]["Job outcomes"] == "not shown"
    assert "Hidden Village" not in out.read_text(encoding="utf-8-sig")

    book_path = tmp_path / "pack.xlsx"
    assert main(["session", "export", code, "--facilitator-key", key, "--out", str(book_path)]) == 0
    book = openpyxl.load_workbook(book_path)
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert "Hidden Village" not in map(str, values)
    assert not any(
        cell.data_type == "f" for sheet in book for row in sheet.iter_rows() for cell in row
    )

    status, _, err = run(
        capsys, ["session", "export", code, "--facilitator-key", key, "--out", "x.pdf"]
    )
    assert status == 2 and ".xlsx or .csv" in err


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["session", "create", "--title", "  "], "--title"),
        (["session", "create", "--title", "T", "--date", "14/03/2025"], "--date"),
        (
            ["session", "submit", "K7QF-M2XD-9PRT", *figures(people="ten"), "--consent"],
            "--supported",
        ),
        (["session", "submit", "K7QF-M2XD-9PRT", *figures(), "--consent"], "code"),
        (["session", "frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, args, flag):
    status, out, err = run(capsys, args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and flag in err


def test_runs_as_a_module_from_any_folder(tmp_path, data_home):
    env = {**os.environ, "TOOLKIT_DATA_HOME": str(data_home)}
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "session", "create", "--title", "T", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) >= {"code", "facilitator_key"}
    assert result.stderr == ""


def test_an_unreachable_database_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("TOOLKIT_DATABASE_URL", "postgresql://u:pw@127.0.0.1:1/x?connect_timeout=2")
    status, out, err = run(capsys, ["session", "create", "--title", "T"])
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "could not open" in err and ":pw@" not in err

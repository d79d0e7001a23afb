import json
import subprocess
import sys

import pytest

from toolkit.cli.main import main

EXAMPLE = [
    "measure",
    "--name",
    "Fictional example",
    "--cost",
    "£150,000",
    "--supported",
    "120",
    "--new-jobs",
    "30",
    "--retained",
    "18",
    "--self-employed",
    "2",
]


def run_json(capsys, args):
    assert main(args + ["--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_measure_json_has_the_documented_shape(capsys):
    result = run_json(capsys, EXAMPLE)
    assert set(result) >= {"service", "measures", "comparisons", "notes"}
    measures = result["measures"]
    assert measures["cost_per_person"] == 1250.0
    assert measures["cost_per_job_outcome"] == 3000.0
    assert measures["job_outcome_rate"] == 0.4167
    assert measures["job_outcomes"] == 50
    assert measures["per_100_supported"] == {
        "new_jobs": 25.0,
        "jobs_retained": 15.0,
        "self_employed": 1.67,
    }
    assert measures["support_level_index"] is None
    evidence = [c for c in result["comparisons"] if c["bands"] == "evidence_based"]
    cost_per_job = next(c for c in evidence if c["measure"] == "cost_per_job_outcome")
    assert (cost_per_job["low"], cost_per_job["mean"], cost_per_job["high"]) == (1612, 2818, 4024)
    assert cost_per_job["position"] == "within"
    assert cost_per_job["judgement"] == "similar"
    assert cost_per_job["text"]
    assert {c["bands"] for c in result["comparisons"]} == {"evidence_based", "all_sites"}


def test_measure_with_support_levels_and_one_band_set(capsys):
    result = run_json(
        capsys,
        EXAMPLE
        + [
            "--support-low",
            "57",
            "--support-medium",
            "39",
            "--support-high",
            "4",
            "--client-group",
            "mental_health",
            "--bands",
            "evidence_based",
        ],
    )
    assert result["measures"]["support_level_index"] == 2.14
    assert result["service"]["client_group"] == "mental_health"
    assert {c["bands"] for c in result["comparisons"]} == {"evidence_based"}


def test_zero_outcomes_gives_null_with_a_note(capsys):
    args = [
        "measure",
        "--name",
        "X",
        "--cost",
        "1000",
        "--supported",
        "5",
        "--new-jobs",
        "0",
        "--retained",
        "0",
    ]
    result = run_json(capsys, args)
    assert result["measures"]["cost_per_job_outcome"] is None
    assert any("Cost per job outcome is not defined" in note for note in result["notes"])
    cost_per_job = [c for c in result["comparisons"] if c["measure"] == "cost_per_job_outcome"]
    assert all(c["position"] is None for c in cost_per_job)


def test_measure_text(capsys):
    assert main(EXAMPLE) == 0
    out = capsys.readouterr().out
    assert "Cost per job outcome:      £3,000" in out
    assert "41.7%" in out


def test_invest_json(capsys):
    result = run_json(capsys, ["invest", "--budget", "£500,000"])
    assert result["budget"] == 500000
    assert result["evidence_based"]["mean"] == pytest.approx(177.4)
    assert result["all_sites"]["low"] is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            [
                "measure",
                "--name",
                "X",
                "--cost",
                "-1",
                "--supported",
                "5",
                "--new-jobs",
                "0",
                "--retained",
                "0",
            ],
            "--cost (Total annual cost (£)): cannot be negative",
        ),
        (
            [
                "measure",
                "--name",
                "X",
                "--cost",
                "10",
                "--supported",
                "5",
                "--new-jobs",
                "9",
                "--retained",
                "0",
            ],
            "--supported (People supported): job outcomes",
        ),
        (
            [
                "measure",
                "--name",
                "X",
                "--cost",
                "10",
                "--supported",
                "lots",
                "--new-jobs",
                "0",
                "--retained",
                "0",
            ],
            "--supported (People supported): could not read 'lots'",
        ),
        (
            ["measure", "--cost", "10", "--supported", "5", "--new-jobs", "0", "--retained", "0"],
            "--name (Service name)",
        ),
        (["invest", "--budget", "abc"], "--budget (budget in £): could not read 'abc'"),
        (["measure", "--nonsense"], "unrecognized arguments"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args, says):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert says in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_python_dash_m_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "invest", "--budget", "-5"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: --budget")

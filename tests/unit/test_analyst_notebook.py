"""The analyst notebook: committed without outputs, fictional, run by nbval, never an app."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "analysis" / "analyst_example.ipynb"


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def test_committed_without_outputs() -> None:
    code = [cell for cell in _cells() if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_uses_the_analysis_api_on_services_labelled_fictional() -> None:
    text = "".join("".join(cell["source"]) for cell in _cells())
    assert "from toolkit import analysis" in text
    for function in ("service_measures", "compare_services", "bands_frame"):
        assert f"analysis.{function}(" in text
    names = re.findall(r'"(Fictional [^"]+)"', text)
    assert len(names) >= 3, "every example service is named as fictional"
    assert "**fictional**" in "".join(_cells()[0]["source"])


def test_not_in_the_served_folder_nor_the_image() -> None:
    # make app serves notebooks/ (every notebook there is an app); the image copies named folders.
    served = ROOT / "notebooks"
    assert not NOTEBOOK.is_relative_to(served)
    assert not list(served.rglob("analyst*.ipynb"))
    dockerfile = (ROOT / "deploy" / "jupyterhub" / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY analysis" not in dockerfile and "COPY . " not in dockerfile


def test_make_test_runs_it_with_nbval() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"pytest --nbval-lax .*\banalysis/", recipe)

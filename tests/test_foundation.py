"""The foundation: config validation, the two-command set-up's pieces, example data, hygiene."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO, copy_repo, load_yaml, snakemake
from openpyxl import load_workbook
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

CONFIG_SCHEMA = str(REPO / "workflow" / "schemas" / "config.schema.yaml")


# ---------------------------------------------------------------------------- config schema


def test_example_config_validates_and_defaults_are_filled():
    cfg = load_yaml("config.yaml")
    del cfg["disclosure"]
    validate(cfg, CONFIG_SCHEMA)
    assert cfg["disclosure"]["rule"] == "nhs"  # default filled
    assert cfg["report"]["renderer"] == "auto"
    leicester = cfg["authorities"][0]
    assert leicester["survey_format"]["header_rows"] == 1
    assert leicester["survey_format"]["drop_columns"] == []


@pytest.mark.parametrize(
    "mutate, named",
    [
        (lambda c: c["programme"].pop("price_base_year"), "price_base_year"),
        (lambda c: c["programme"].__setitem__("price_base_year", "2025"), "price_base_year"),
        (lambda c: c["authorities"][0].__setitem__("population", "lots"), "population"),
        (lambda c: c["authorities"][1]["inputs"].pop("costs"), "costs"),
        (lambda c: c["disclosure"].__setitem__("rule", "sometimes"), "rule"),
        (lambda c: c["authorities"][2].__setitem__("id", "Milton Keynes"), "id"),
        (lambda c: c.__setitem__("colour_scheme", "pink"), "colour_scheme"),
    ],
)
def test_config_errors_name_the_key(mutate, named):
    cfg = load_yaml("config.yaml")
    mutate(cfg)
    with pytest.raises(WorkflowError) as e:
        validate(cfg, CONFIG_SCHEMA)
    assert named in str(e.value)


def test_schemas_are_valid_json_schemas():
    for p in sorted((REPO / "workflow" / "schemas").glob("*.schema.yaml")):
        jsonschema.Draft202012Validator.check_schema(yaml.safe_load(p.read_text()))


# ---------------------------------------------------------------------------- dependencies


def _names(specs):
    return {
        re.split(r"[<>=!~ \[]", s.strip(), maxsplit=1)[0].lower(): s.replace(" ", "") for s in specs
    }


def _lock_pins() -> dict[str, str]:
    """Package -> version in requirements.lock (for Pythons below 3.14 where it forks)."""
    pins = {}
    text = (REPO / "requirements.lock").read_text()
    for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)(\s*;[^\\\n]*)?", text, re.M):
        name, marker = m.group(1).lower(), (m.group(3) or "")
        if name not in pins or "< '3.14'" in marker:
            pins[name] = m.group(2)
    return pins


def test_environment_yml_lists_the_same_packages_as_pyproject_at_the_locked_versions():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    py = _names(project["dependencies"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = _names(conda) | _names(pip)
    assert set(py) <= set(listed), f"missing from environment.yml: {set(py) - set(listed)}"
    extra = set(_names(conda)) - set(py) - {"python", "pip", "quarto"}
    assert not extra, f"environment.yml has packages pyproject.toml lacks: {extra}"
    pins = _lock_pins()
    for name in py:
        version = re.split(r"==?", listed[name], maxsplit=1)[1]
        assert pins[name] == version, f"{name}: environment.yml {version}, lock {pins[name]}"
    assert any(q.startswith("quarto") for q in project["optional-dependencies"]["quarto"])


def test_lock_pins_every_dependency_with_hashes():
    """make run/test install requirements.lock with --require-hashes: every direct
    dependency (and test tool) must be pinned there, each pin with a hash."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = set(_names(project["dependencies"])) | set(
        _names(project["optional-dependencies"]["test"])
    )
    pins = _lock_pins()
    assert wanted <= set(pins), f"not in requirements.lock: {wanted - set(pins)}"
    text = (REPO / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)
    makefile = (REPO / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile


def test_heavy_libraries_are_imported_lazily():
    code = (
        "import sys, analysis.ingest, analysis.survey, analysis.coding; "
        "print('pingouin' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------- example data


def test_generator_reproduces_committed_files_byte_for_byte(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "survey" / "generate_example.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(made) >= 21
    for rel in made:
        committed = REPO / "survey" / rel
        assert committed.read_bytes() == (tmp_path / rel).read_bytes(), f"{rel} differs"


def test_example_data_says_it_is_synthetic():
    for p in (REPO / "survey" / "example").rglob("*.xlsx"):
        wb = load_workbook(p, read_only=True)
        assert "SYNTHETIC" in (wb.properties.title or ""), p
    assert "SYNTHETIC" in (REPO / "survey" / "example" / "README.md").read_text()
    assert "synthetic" in (REPO / "README.md").read_text().lower()


def test_templates_explain_themselves_and_match_schemas():
    t = REPO / "survey" / "templates"
    q = load_yaml("survey/questionnaire.yaml")
    expect = {
        "survey_responses.xlsx": (
            "Responses",
            list(load_yaml("workflow/schemas/survey.schema.yaml")["properties"])
            + [i["id"] for i in q["items"]],
        ),
        "coding_sheet.xlsx": (
            "Coding",
            list(load_yaml("workflow/schemas/coding.schema.yaml")["properties"]),
        ),
        "journey_register.xlsx": (
            "Register",
            list(load_yaml("workflow/schemas/journeys.schema.yaml")["properties"]),
        ),
    }
    for name, (sheet, header) in expect.items():
        wb = load_workbook(t / name)
        assert wb.sheetnames[0] == "Instructions"
        text = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
        assert len(text) > 200
        assert [c.value for c in wb[sheet][1]] == header
    wb = load_workbook(t / "cost_workbook.xlsx")
    costs_schema = load_yaml("workflow/schemas/costs.schema.yaml")
    assert wb.sheetnames == ["Instructions"] + list(costs_schema["x-sheets"])
    assert [c.value for c in wb["Parameters"]["A"]][1:] == list(costs_schema["x-parameters"])


# ---------------------------------------------------------------------------- workflow


def _outputs_in_dry_run(proc) -> set[str]:
    return set(re.findall(r"results/([a-z_]+)/", proc.stdout + proc.stderr))


def test_dry_run_lists_jobs_for_all_four_authorities(tmp_path):
    work = copy_repo(tmp_path / "p")
    proc = snakemake(work, "-n", "--cores", "1", check=True)
    assert {"leicester", "lambeth", "milton_keynes", "canterbury"} <= _outputs_in_dry_run(proc)


def test_single_council_config_runs_only_that_council(tmp_path):
    work = copy_repo(tmp_path / "p")
    cfg = yaml.safe_load((work / "survey/templates/council-config.template.yaml").read_text())
    cfg["programme"]["business_case"] = "survey/templates/business_case.template.yaml"
    ex = "survey/example/canterbury/"
    cfg["authorities"][0]["inputs"] = {
        "survey": ex + "survey.csv",
        "coding": ex + "coding.csv",
        "costs": ex + "costs.xlsx",
        "journeys": ex + "journeys.xlsx",
    }
    (work / "mine.yaml").write_text(yaml.safe_dump(cfg))
    proc = snakemake(work, "-n", "--cores", "1", "--configfile", "mine.yaml", check=True)
    seen = _outputs_in_dry_run(proc)
    assert "example_borough" in seen
    assert not seen & {"leicester", "lambeth", "milton_keynes", "canterbury"}
    # and it really runs: ingest of the one council
    proc = snakemake(
        work,
        "results/example_borough/ingest/survey.csv",
        "--cores",
        "2",
        "--configfile",
        "mine.yaml",
        check=True,
    )
    assert (work / "results/example_borough/ingest/survey.csv").is_file()
    assert not (work / "results/canterbury").exists()


def test_missing_config_key_fails_before_any_job(tmp_path):
    work = copy_repo(tmp_path / "p")
    cfg = (work / "config.yaml").read_text()
    # the programme's price base line, whatever year the example uses
    dropped = re.sub(r'(?m)^  price_base_year: "\d{4}-\d{2}"\n', "", cfg, count=1)
    assert dropped != cfg
    (work / "config.yaml").write_text(dropped)
    proc = snakemake(work, "--cores", "1")
    assert proc.returncode != 0
    assert "price_base_year" in proc.stdout + proc.stderr
    assert not (work / "results").exists()


def test_missing_input_file_is_named(tmp_path):
    work = copy_repo(tmp_path / "p")
    (work / "survey/example/lambeth/costs.xlsx").unlink()
    proc = snakemake(work, "-n", "--cores", "1")
    assert proc.returncode != 0
    assert "authorities[id=lambeth].inputs.costs" in proc.stdout + proc.stderr


def test_unknown_authority_is_refused(tmp_path):
    work = copy_repo(tmp_path / "p")
    proc = snakemake(work, "-n", "--cores", "1", "results/atlantis/ingest/survey.csv")
    assert proc.returncode != 0
    assert "atlantis" in proc.stdout + proc.stderr


def test_bad_input_stops_the_pipeline_with_a_located_error(tmp_path):
    """Nothing is published by construction: every analysis rule waits for the manifest, which
    needs every input of the run to pass ingest. ``--keep-going`` lets Snakemake run every job
    it can, so the test does not depend on which job happens to be scheduled first."""
    work = copy_repo(tmp_path / "p")
    survey = work / "survey/example/leicester/survey.csv"
    lines = survey.read_text().splitlines()
    lines[4] = lines[4].replace("Agree", "Agreeish", 1).replace("Disagree", "Disagreeish", 1)
    survey.write_text("\n".join(lines) + "\n")
    proc = snakemake(
        work, "--cores", "2", "--keep-going", "--configfile", "tests/configs/two-councils.yaml"
    )
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "survey/example/leicester/survey.csv, row 5, column 'Q" in out
    assert "Agreeish" not in out and "Disagreeish" not in out
    written = sorted(
        p.relative_to(work / "results").as_posix()
        for p in (work / "results").rglob("*")
        if p.is_file()
    )
    assert "leicester/ingest/survey.csv" not in written
    # the other inputs were ingested (keep-going ran them) ...
    assert "canterbury/ingest/survey.csv" in written and "leicester/ingest/coding.csv" in written
    # ... but nothing past ingest exists: no manifest, no internal or published table, no report
    assert [p for p in written if "/ingest/" not in p] == []


def test_full_run_outputs_manifest_and_leaves_inputs_untouched(pipeline_run):
    from analysis.ingest import file_sha256

    work: Path = pipeline_run["dir"]
    import pandas as pd

    manifest = pd.read_csv(work / "results/manifest.csv")
    assert list(manifest.columns) == [
        "path",
        "authority",
        "kind",
        "bytes",
        "sha256",
        "vintage",
        "package_version",
        "git_commit",
    ]
    assert set(manifest["authority"]) == {
        "leicester",
        "lambeth",
        "milton_keynes",
        "canterbury",
        "programme",
    }
    # every instrument and rule table the run read is listed, with the code version
    assert set(manifest.loc[manifest["authority"] == "programme", "kind"]) == {
        "codebook",
        "questionnaire",
        "gap_rules",
        "maturity_rubric",
        "roadmap_actions",
        "business_case",
    } | {"reference_" + p.stem for p in (work / "analysis/data").glob("*.csv")}
    # the deflator release and discount-schedule editions the run used are on record
    ref = manifest.set_index("kind")["vintage"]
    assert ref["reference_gdp_deflators"] == "hmt_2026_03"
    assert ref["reference_discount_schedules"] == "green_book_2022;green_book_2026"
    assert manifest.loc[~manifest["kind"].str.startswith("reference_"), "vintage"].isna().all()
    from importlib.metadata import version

    assert set(manifest["package_version"]) == {version("council-data-roadmap")}
    assert set(manifest["git_commit"]) == {"none"}  # the test copy is not a git checkout
    for row in manifest.itertuples():
        assert file_sha256(work / row.path) == row.sha256
        assert (work / row.path).stat().st_size == row.bytes
    for a in ("leicester", "lambeth", "milton_keynes", "canterbury"):
        for f in (
            "survey.csv",
            "survey_missing.csv",
            "coding.csv",
            "excerpts.csv",
            "journeys.csv",
            "costs/costs.csv",
            "costs/benefits.csv",
        ):
            assert (work / "results" / a / "ingest" / f).stat().st_size > 0
    after = {
        p.relative_to(work).as_posix(): file_sha256(p)
        for p in (work / "survey").rglob("*")
        if p.is_file()
    }
    assert after == pipeline_run["inputs_before"]
    assert not list((work / "survey").rglob("*.csv.*"))  # nothing written beside inputs


def test_second_run_has_nothing_to_do(pipeline_run):
    proc = snakemake(pipeline_run["dir"], "-n", "--cores", "1", check=True)
    assert "Nothing to be done" in proc.stdout + proc.stderr


# ---------------------------------------------------------------------------- hygiene


def test_snakemake_lint_congratulates(tmp_path):
    work = copy_repo(tmp_path / "p")
    proc = snakemake(work, "--lint")
    assert "Congratulations" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


PY_SOURCES = ("analysis", "workflow/scripts", "survey", "tests", "benchmarks")


def test_snakefmt_and_ruff_are_clean():
    bin_dir = Path(sys.executable).parent
    fmt = subprocess.run(
        [str(bin_dir / "snakefmt"), "--check", "Snakefile", "workflow/"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stderr
    ruff = subprocess.run(
        [
            str(bin_dir / "ruff"),
            "check",
            *PY_SOURCES,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    fmt_py = subprocess.run(
        [str(bin_dir / "ruff"), "format", "--check", *PY_SOURCES],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert fmt_py.returncode == 0, fmt_py.stdout


def test_every_rule_has_a_log():
    for smk in (REPO / "workflow" / "rules").glob("*.smk"):
        text = smk.read_text()
        rules = re.findall(r"^rule (\w+):", text, flags=re.M)
        for i, name in enumerate(rules):
            body = text.split(f"rule {name}:", 1)[1]
            nxt = re.search(r"^rule \w+:", body, flags=re.M)
            body = body[: nxt.start()] if nxt else body
            assert "log:" in body, f"rule {name} in {smk.name} has no log"

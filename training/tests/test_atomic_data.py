"""The committed atomic data and xraylib reference values regenerate byte-for-byte from the
pinned PyPI packages (training/requirements.txt)."""

import importlib.metadata
import re
from pathlib import Path

from training.atomic import build_atomic_data, reference_values

ROOT = Path(__file__).resolve().parents[2]


def test_pinned_versions_are_installed():
    pins = (ROOT / "training" / "requirements.txt").read_text(encoding="utf-8")
    for pkg in ("xraydb", "xraylib"):
        m = re.search(rf"^{pkg}==(\S+)$", pins, re.M)
        assert m, f"{pkg} is not pinned in training/requirements.txt"
        assert importlib.metadata.version(pkg) == m.group(1)


def test_generated_atomic_data_is_byte_identical():
    committed = build_atomic_data.OUTPUT_PATH.read_text(encoding="utf-8")
    fresh = build_atomic_data.generate()
    assert committed == fresh, "regenerate: python -m training.atomic.build_atomic_data"


def test_header_records_the_sqlite_hash():
    committed = build_atomic_data.OUTPUT_PATH.read_text(encoding="utf-8")
    sha = build_atomic_data.sha256_of(build_atomic_data.sqlite_path())
    assert f"ELAM_SHA256 = '{sha}'" in committed


def test_xraylib_reference_values_are_up_to_date():
    committed = reference_values.OUTPUT_PATH.read_text(encoding="utf-8")
    assert committed == reference_values.render(), (
        "regenerate: python -m training.atomic.reference_values"
    )


def test_js_number_formatting_matches_ecmascript():
    cases = {
        7112.0: "7112",
        0.000276096: "0.000276096",
        1e-07: "1e-7",
        1.5e-05: "0.000015",
        -745.0: "-745",
        1e21: "1e+21",
        123456789012345680000.0: "123456789012345680000",
        2.5e-7: "2.5e-7",
        0.1: "0.1",
    }
    for v, s in cases.items():
        assert build_atomic_data.js_num(v) == s, v

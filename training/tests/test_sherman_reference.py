"""The committed Sherman reference values are exactly what the script writes."""

from pathlib import Path

from training.reference import sherman_reference


def test_reference_json_regenerates_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "reference.json"
    sherman_reference.main(out)
    assert out.read_bytes() == sherman_reference.OUT.read_bytes()

"""The TypeScript generator's output opens with numpy (mmap) and with training.data.ShardedDataset.

Runs `tsx scripts/tiny-dataset.ts` (Node and the npm dev dependencies must be installed, as in CI).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from training.data import ShardedDataset
from training.elements import N_LABELS, PREDICTED_ELEMENTS

ROOT = Path(__file__).resolve().parents[2]
TSX = ROOT / "node_modules" / ".bin" / "tsx"


@pytest.mark.skipif(shutil.which("node") is None or not TSX.exists(), reason="node/tsx not installed")
def test_typescript_dataset_is_numpy_readable(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    subprocess.run([str(TSX), "scripts/tiny-dataset.ts", str(out), "6", "py-check"], cwd=ROOT, check=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["elements"] == list(PREDICTED_ELEMENTS)
    first = manifest["shards"][0]
    profiles = np.load(out / first["files"]["profiles"], mmap_mode="r")
    labels = np.load(out / first["files"]["labels"], mmap_mode="r")
    assert profiles.dtype == np.float32 and profiles.shape == (4, 40, 1024)
    assert labels.dtype == np.float32 and labels.shape == (4, N_LABELS)
    assert np.isfinite(profiles).all() and (profiles >= 0).all() and profiles.sum() > 0
    ds = ShardedDataset(out, verify_sha256=True)
    assert len(ds) == 6

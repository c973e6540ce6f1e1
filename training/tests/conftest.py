import sys
from pathlib import Path

import pytest
import torch

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from training.fake_data import write_fake_dataset  # noqa: E402

torch.set_num_threads(2)

TINY_MODEL = {"stemChannels": 8, "stageChannels": [8, 8, 12, 12, 16], "flattenChannels": 4, "hidden": 32}


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def train_dir(tmp_path_factory) -> Path:
    # 3 shards of uneven size, so gathering across shard boundaries is exercised.
    return write_fake_dataset(tmp_path_factory.mktemp("train"), count=100, shard_size=40, seed=1)


@pytest.fixture(scope="session")
def test_dir(tmp_path_factory) -> Path:
    return write_fake_dataset(tmp_path_factory.mktemp("test"), count=24, shard_size=24, seed=2)


def tiny_config(train_dir: Path, run_dir: Path, **over) -> dict:
    from training.train import load_config

    cfg = {
        "runDir": str(run_dir),
        "data": {"trainDir": str(train_dir), "valFraction": 0.2},
        # As the default configuration: short scans through a depth mask.
        "model": {**TINY_MODEL, "depthMask": True},
        "augmentation": {"maskFraction": 0.3},
        "optim": {"epochs": 1, "batchSize": 16, "warmupSteps": 2},
        "logEverySteps": 1,
        "checkpointEverySteps": 1,
    }
    cfg.update(over)
    return load_config(None, cfg)

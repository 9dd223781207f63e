"""Shared fixtures: the `device` every snippet test runs on, and a seeded RNG.

`device` is `cpu`, plus `cuda` when PyTorch sees a GPU. With
GUIDE_REQUIRE_CUDA=1 (the GPU workflow) a run that finds no GPU fails at once
instead of quietly testing the CPU again.
"""

import os

import pytest
import torch

CUDA = torch.cuda.is_available()
DEVICES = ["cpu", "cuda"] if CUDA else ["cpu"]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("GUIDE_REQUIRE_CUDA") == "1" and not CUDA:
        raise pytest.UsageError("GUIDE_REQUIRE_CUDA=1 but PyTorch sees no CUDA device")


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> torch.device:
    return torch.device(request.param)


@pytest.fixture(autouse=True)
def _seeded() -> None:
    """Every test starts from the same random state, whatever ran before it."""
    torch.manual_seed(0)

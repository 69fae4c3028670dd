"""The settings of one training run: the model and feature choices the Train page exposes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional


@dataclass(frozen=True)
class TrainSettings:
    """The model and feature settings the Train page exposes (defaults are a good first demo)."""

    learning_rate: float = 0.5
    epochs: int = 200
    batch_size: Optional[int] = None
    solver: str = "gd"
    penalty: str = "none"
    reg_strength: float = 0.0
    l1_ratio: float = 0.5
    degree: int = 1
    init: str = "zeros"
    seed: int = 0
    standardize: bool = True
    stop_early: bool = False  # stop at the first epoch where the model has converged

    def model_params(self) -> dict:
        """Constructor arguments of the logreg estimators."""
        return dict(learning_rate=self.learning_rate, epochs=self.epochs,
                    batch_size=self.batch_size, solver=self.solver, penalty=self.penalty,
                    reg_strength=self.reg_strength, l1_ratio=self.l1_ratio, init=self.init,
                    random_state=self.seed, stop_early=self.stop_early)

    def key(self) -> tuple:
        """A hashable summary for caches."""
        return tuple(sorted(asdict(self).items()))

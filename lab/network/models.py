"""The two small networks and a flat-vector view of their parameters (needs torch).

This module imports torch at the top: import it only after :func:`lab.network.torch_available`
says yes (``lab.network`` itself never imports it eagerly).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters

from lab.errors import LabInputError


class CharLSTM(nn.Module):
    """Embedding -> one LSTM layer -> linear read-out over the alphabet.

    Examples
    --------
    >>> import torch
    >>> m = CharLSTM(vocab=5, embed=3, hidden=4)
    >>> m(torch.zeros(2, 7, dtype=torch.long)).shape
    torch.Size([2, 7, 5])
    """

    def __init__(self, vocab: int, embed: int, hidden: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits of the next character at every position, shape (batch, time, vocab)."""
        hidden, _ = self.lstm(self.embed(ids))
        return self.out(hidden)


def mlp(n_in: int, hidden: int, n_out: int) -> nn.Module:
    """A one-hidden-layer ReLU classifier.

    Examples
    --------
    >>> import torch
    >>> mlp(4, 3, 2)(torch.zeros(5, 4)).shape
    torch.Size([5, 2])
    """
    return nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, n_out))


def mean_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Cross-entropy averaged over every predicted token or example."""
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


class FlatObjective:
    """A model's loss on given data, seen as a function of one flat parameter vector.

    ``grad_numpy`` is the callable the smoothness estimator needs: it moves the model to the
    point asked for, so callers put the parameters back with :meth:`set_flat` afterwards.

    Examples
    --------
    >>> import torch
    >>> obj = FlatObjective(mlp(2, 3, 2))
    >>> obj.flat().shape
    torch.Size([17])
    """

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.dtype = self.params[0].dtype

    def flat(self) -> torch.Tensor:
        """A detached copy of the parameters as one vector."""
        return parameters_to_vector(self.params).detach().clone()

    def set_flat(self, vector: torch.Tensor) -> None:
        """Overwrite the parameters with ``vector``."""
        with torch.no_grad():
            vector_to_parameters(vector.to(self.dtype), self.params)

    def loss(self, inputs: torch.Tensor, targets: torch.Tensor) -> float:
        """The loss at the current parameters, without a gradient."""
        with torch.no_grad():
            return float(mean_cross_entropy(self.model(inputs), targets))

    def loss_and_grads(
        self, inputs: torch.Tensor, targets: torch.Tensor
    ) -> tuple[float, list[torch.Tensor]]:
        """The loss and its gradient (one tensor per parameter) at the current parameters."""
        loss = mean_cross_entropy(self.model(inputs), targets)
        grads = torch.autograd.grad(loss, self.params)
        return float(loss.detach()), list(grads)

    def grad_numpy(self, vector: np.ndarray, inputs: torch.Tensor, targets: torch.Tensor
                   ) -> np.ndarray:
        """The flat float64 gradient at ``vector`` (moves the model there)."""
        vector = np.asarray(vector)
        if vector.shape != (sum(p.numel() for p in self.params),):
            raise LabInputError(f"vector of shape {vector.shape} does not match the model")
        self.set_flat(torch.from_numpy(vector))
        _, grads = self.loss_and_grads(inputs, targets)
        return parameters_to_vector(grads).detach().to(torch.float64).numpy().copy()


def global_norm(tensors: list[torch.Tensor]) -> float:
    """The Euclidean norm of all tensors together, accumulated in float64.

    Examples
    --------
    >>> import torch
    >>> global_norm([torch.tensor([3.0]), torch.tensor([4.0])])
    5.0
    """
    return float(torch.sqrt(sum((t.detach().to(torch.float64) ** 2).sum() for t in tensors)))

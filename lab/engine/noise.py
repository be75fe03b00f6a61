"""Counter-based random streams and the noise models of the stochastic oracle.

The noise of run ``j`` at iteration ``k`` depends only on the run's seed and on ``(k, i)``
(``i`` the coordinate), never on which other runs share the batch: each variate is the
splitmix64 output number ``c`` of the stream keyed by the seed, ``c = 2((d+1)k + i) + r``.
The same seed therefore gives the same noise in a batch of 1 or of 10⁶ runs.

Noise models (``tau >= 0``):

* ``ball``: uniform in the ball ``||ξ|| <= tau``;
* ``sphere``: uniform on the sphere ``||ξ|| = tau``;
* ``adversarial``: ``ξ = -tau ∇f/||∇f||`` (against the gradient; ``0`` where ``∇f = 0``);
* ``gaussian``: ``N(0, tau²/d I)``, so ``E||ξ||² = tau²`` (not bounded: outside Theorem 7).
"""

from __future__ import annotations

import numpy as np

GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_SEED_SALT = 0x5851F42D4C957F2D


def mix64(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finalizer on uint64 arrays (wrapping arithmetic).

    Examples
    --------
    >>> mix64(np.array([0, 1], dtype=np.uint64)).tolist()
    [0, 6238072747940578789]
    """
    z = np.asarray(z, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping is the point; scalar paths would warn
        z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


def keys_from_seeds(seeds: np.ndarray) -> np.ndarray:
    """Stream keys (uint64) from non-negative integer seeds.

    Examples
    --------
    >>> a, b = keys_from_seeds(np.array([3, 3, 4]))[[0, 1]], keys_from_seeds(np.array([3]))
    >>> bool(a[0] == a[1] == b[0])  # a key depends on its seed only
    True
    """
    return mix64(np.asarray(seeds, dtype=np.uint64) ^ np.uint64(_SEED_SALT))


def uniform(keys: np.ndarray, counter: np.ndarray) -> np.ndarray:
    """Uniform variates in (0, 1]: output ``counter`` of each key's splitmix64 stream.

    ``keys`` has shape (n,), ``counter`` broadcasts against it (uint64).

    Examples
    --------
    >>> k = keys_from_seeds(np.array([1, 2]))
    >>> u = uniform(k, np.uint64(0))
    >>> bool(((u > 0) & (u <= 1)).all())
    True
    """
    c = np.asarray(counter, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = mix64(keys + (c + np.uint64(1)) * np.uint64(GOLDEN))
    return ((z >> np.uint64(11)).astype(np.float64) + 1.0) * (2.0 ** -53)


def normals(keys: np.ndarray, k: int, d: int) -> np.ndarray:
    """Standard normals of shape (d, n) for iteration ``k`` (Box-Muller, cosine branch).

    Examples
    --------
    >>> z = normals(keys_from_seeds(np.arange(20000)), k=0, d=2)
    >>> z.shape, bool(abs(z.mean()) < 0.03), bool(abs(z.std() - 1) < 0.03)
    ((2, 20000), True, True)
    """
    base = np.uint64(2 * (d + 1) * k)
    rows = (np.arange(d, dtype=np.uint64) * np.uint64(2))[:, None] + base
    u1 = uniform(keys[None, :], rows)
    u2 = uniform(keys[None, :], rows + np.uint64(1))
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def radius_uniform(keys: np.ndarray, k: int, d: int) -> np.ndarray:
    """The extra uniform of iteration ``k`` (coordinate index ``d``), shape (n,).

    Examples
    --------
    >>> u = radius_uniform(keys_from_seeds(np.arange(5)), k=3, d=2)
    >>> u.shape, bool(((u > 0) & (u <= 1)).all())
    ((5,), True)
    """
    return uniform(keys, np.uint64(2 * ((d + 1) * k + d)))


def sample(model: str, tau: float, keys: np.ndarray, k: int, G: np.ndarray,
           gn: np.ndarray) -> np.ndarray:
    """Noise ``ξ`` of shape (d, n) for iteration ``k``, given the true gradients ``G`` (d, n).

    Examples
    --------
    >>> keys = keys_from_seeds(np.arange(4))
    >>> G = np.ones((3, 4)); xi = sample("sphere", 0.5, keys, 0, G, np.sqrt(3) * np.ones(4))
    >>> np.allclose(np.linalg.norm(xi, axis=0), 0.5)
    True
    """
    d = G.shape[0]
    if model == "adversarial":
        with np.errstate(all="ignore"):
            scale = np.where(gn > 0, -tau / np.where(gn > 0, gn, 1.0), 0.0)
        return G * scale
    z = normals(keys, k, d)
    if model == "gaussian":
        return z * (tau / np.sqrt(d))
    zn = np.sqrt(np.sum(z * z, axis=0))
    direction = z / zn
    if model == "sphere":
        return direction * tau
    r = tau * radius_uniform(keys, k, d) ** (1.0 / d)
    return direction * r

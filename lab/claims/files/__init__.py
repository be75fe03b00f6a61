"""Claims as files: a TOML file states a claim without Python (:mod:`lab.claims.files.build`).

Examples
--------
>>> from pathlib import Path
>>> import lab.claims.files as files
>>> claim = files.load_claim_file(files.catalogue_dir() / "theorem3-clipped-gd.toml")
>>> claim.name, claim.kind, claim.check_names
('theorem3-clipped-gd', 'upper-bound', ('search', 'sweep'))
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lab.claims.claim import Claim
from lab.claims.files.build import claim_from_tables
from lab.claims.files.reader import ClaimFileError, read_toml

__all__ = ["load_claim_file", "load_claims", "claim_from_tables", "catalogue_dir",
           "ClaimFileError"]


def load_claim_file(path: str | Path) -> Claim:
    """The claim stated by one TOML file.

    Raises
    ------
    ClaimFileError
        One line naming the file, the key and what is allowed.
    """
    return claim_from_tables(read_toml(path), str(path))


def load_claims(path: str | Path) -> list[Claim]:
    """The claims of a file, or of every ``*.toml`` in a folder (sorted by file name).

    Raises
    ------
    ClaimFileError
        For a path that does not exist, a folder without claim files, a mistake in a file,
        or two files with the same claim name.
    """
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.toml"))
        if not files:
            raise ClaimFileError(f"claim folder {path} has no *.toml files")
    elif p.exists():
        files = [p]
    else:
        raise ClaimFileError(f"claim file {path} does not exist")
    claims, seen = [], {}
    for f in files:
        c = load_claim_file(f)
        if c.name in seen:
            raise ClaimFileError(f"claim file {f}, key [claim] name: {c.name!r} is also the "
                                 f"name in {seen[c.name]}; names must be unique")
        seen[c.name] = f
        claims.append(c)
    return claims


def catalogue_dir() -> Path:
    """The folder of the catalogue's own claim files (package data)."""
    return Path(str(resources.files("lab.claims") / "catalogue"))

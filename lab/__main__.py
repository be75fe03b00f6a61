"""``python -m lab``: the command line."""

from lab.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()

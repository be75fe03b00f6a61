"""The lab's error types.

A :class:`LabInputError` is a user mistake (a bad value, an unknown name, an expression that
does not parse). Its message names the bad value and says what is allowed instead; the CLI
turns it into one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations


class LabInputError(ValueError):
    """A value given to a public function or to the CLI is not allowed.

    The message names the bad value and what to use instead.
    """

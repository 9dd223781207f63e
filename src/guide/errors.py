"""The one exception type the library raises."""

from __future__ import annotations

from pathlib import Path


class GuideError(Exception):
    """A problem in the guide's content or in a request to the `guide` command.

    Library code raises only this type; the command layer (`guide.cli`) turns
    it into a one-line message and exit status 1, and the MkDocs plugin into a
    failed build.
    """

    @classmethod
    def at(cls, path: str | Path, line: int, message: str) -> GuideError:
        """An error located at `path:line`, the way compilers and editors print it."""
        return cls(f"{path}:{line}: {message}")

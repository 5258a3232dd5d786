"""Writing results to files so that nothing is lost or half-written.

A regular file (new or existing) is written through a temporary file in the same folder and renamed over the
target, keeping an existing file's permissions. A symlink is followed deliberately: the file it points to is
replaced, the link stays. A device or a named pipe (/dev/null, /dev/stdout, a FIFO) is written through, not
replaced. Every failure is an OutputError naming the target.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError
from .sources import PathArg


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: PathArg, text: str, *, follow_links: bool = True) -> None:
    write_bytes_atomically(path, text.encode("utf-8"), follow_links=follow_links)


def write_bytes_atomically(path: PathArg, data: bytes, *, follow_links: bool = True) -> None:
    """`follow_links=False` for the files mzkg names itself in a folder others may write to: a link, device or pipe
    in their place is an error, never written through."""
    target = Path(path)
    if not follow_links:
        refuse_links(target)
    try:
        target = target.resolve(strict=False)  # follow a symlink to the file it names
        mode = target.stat().st_mode if target.exists() else None
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise OutputError(f"{path}: is a folder")
        _write_through(target, data, path)
        return
    keep = stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).chmod(keep)
        Path(tmp).replace(target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None


def refuse_links(path: Path, *, folder: bool = False) -> None:
    """An OutputError when `path` or its folder is a symbolic link, or `path` is something other than a regular
    file (a folder, with `folder`)."""
    for p in (path.parent, path):
        try:
            st = p.lstat()
        except FileNotFoundError:
            continue
        except OSError as e:
            raise OutputError(f"{p}: cannot write ({e.strerror})") from None
        if stat.S_ISLNK(st.st_mode):
            raise OutputError(f"{p}: is a symbolic link; mzkg writes the files it names only as regular files")
        if p is path and not (stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)):
            raise OutputError(f"{p}: is not a {'folder' if folder else 'regular file'}")


def _write_through(target: Path, data: bytes, shown: PathArg) -> None:
    try:
        with target.open("wb") as fh:
            fh.write(data)
            fh.flush()
    except OSError as e:
        raise OutputError(f"{shown}: cannot write ({e.strerror})") from None


def ensure_folder(path: Path) -> Path:
    """Create a folder for output (and its parents); an OutputError names it when that is not possible."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{path}: cannot create this folder ({e.strerror})") from None
    if not os.access(path, os.W_OK):
        raise OutputError(f"{path}: this folder is not writable")
    return path

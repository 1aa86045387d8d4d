"""The data files casesummary reads: where the shipped ones live, and reading each file once.

Prompts, taxonomies and price tables are named on every call (a web app may summarise
thousands of items with the default prompt); `read_once` parses each file's content once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import TypeVar

from casesummary.exceptions import InvalidPrompt

_T = TypeVar("_T")
_CACHED_FILES = 128


def prompts_dir() -> Path:
    """The directory holding the shipped prompts and taxonomy, installed or in a checkout.

    The wheel ships the top-level ``prompts/`` as ``casesummary/prompts``; an editable install
    reads the repository's ``prompts/`` directly.
    """
    installed = Path(str(resources.files("casesummary"))) / "prompts"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    raise InvalidPrompt("the shipped prompts directory is missing", path=installed)


def read_once(load: Callable[[Path], _T]) -> Callable[[Path], _T]:
    """`load(path)`, remembered per file content: parsed again only when the bytes change.

    A file that cannot be read is loaded every time, so its own error is raised every time.
    """
    cache: OrderedDict[tuple[str, bytes], _T] = OrderedDict()
    lock = threading.Lock()

    @wraps(load)
    def cached(path: Path) -> _T:
        try:
            data = path.read_bytes()
        except (OSError, ValueError):
            return load(path)
        key = (str(path), hashlib.blake2b(data, digest_size=16).digest())
        with lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        value = load(path)
        with lock:
            cache[key] = value
            while len(cache) > _CACHED_FILES:
                cache.popitem(last=False)
        return value

    return cached

"""The keyword arguments of keel's Python functions, read from the API's request descriptions (private).

A function that runs a use case takes the request's fields as keyword arguments: their names,
defaults, choices, ranges and units are the request's own (``RiskVarRequest`` and the others of
docs/api-reference.md), read from the extension module (``_keel.request_schema``), never written
here a second time. The request is built with the names given and read by the C++ description,
which checks it as every face does (the command line, HTTP, the batch) and fills in what was left
out with the same defaults the signature shows.

A field named by a Python keyword (``lambda``, ``from``) is a keyword argument with a trailing
underscore (``lambda_``), as PEP 8 advises; an error about it names it that way. Names a function
took before it took the request's are still read, with a DeprecationWarning naming the new one.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import keyword
import warnings
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from . import _keel
from .errors import KeelError

_MISSING = inspect.Parameter.empty


class _Unset:
    """The default of a request field a function names in its own parameter list (to take it
    positionally): left out of the request, so the request's default applies; the signature shows
    that default."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def python_name(api_name: str) -> str:
    """The keyword argument of a request field: its name, with ``_`` after a Python keyword."""
    return api_name + "_" if keyword.iskeyword(api_name) else api_name


class RequestSpec:
    """The keyword arguments a function takes from one API request.

    Args:
        schema: the request's schema name (``"RiskVarRequest"``).
        omit: request fields the function does not take as keyword arguments (those its own
            arguments fill, such as the book's source, and the HTTP-only ones).
        renamed: names the function took before (old name -> the request's name), still read
            with a DeprecationWarning.
    """

    def __init__(self, schema: str, *, omit: Iterable[str] = (), renamed: Optional[Mapping[str, str]] = None) -> None:
        self.schema_name = schema
        self._omit = frozenset(omit)
        self._renamed = dict(renamed or {})
        self._fields: Optional[List[Tuple[str, Dict[str, Any]]]] = None

    # The request's fields the function takes, (API name, JSON Schema), by name.
    def fields(self) -> List[Tuple[str, Dict[str, Any]]]:
        if self._fields is None:
            schema = json.loads(_keel.request_schema(self.schema_name))
            self._fields = [(name, prop) for name, prop in schema.get("properties", {}).items()
                            if name not in self._omit]
        return self._fields

    def defaults(self) -> Dict[str, Any]:
        """Each keyword argument's default (its Python name): the request's (None when it has none)."""
        return {python_name(n): p.get("default") for n, p in self.fields()}

    def request(self, function: str, kwargs: Mapping[str, Any]) -> Dict[str, Any]:
        """The request (API names) of the keyword arguments given; a name the request does not have
        is a TypeError, as Python's own for an unexpected keyword argument."""
        by_python = {python_name(n): n for n, _ in self.fields()}
        out: Dict[str, Any] = {}
        for key, value in kwargs.items():
            if value is UNSET:
                continue
            if key in by_python:
                api = by_python[key]
            elif key in self._renamed:
                api = self._renamed[key]
                warnings.warn(f"{function}(): {key}= is now {python_name(api)}= (the API's name)",
                              DeprecationWarning, stacklevel=3)
            else:
                names = ", ".join(sorted(by_python))
                raise TypeError(f"{function}() got an unexpected keyword argument {key!r} "
                                f"(the {self.schema_name} fields it takes: {names})")
            if api in out:
                raise TypeError(f"{function}() got {python_name(api)}= twice (once by its former name)")
            out[api] = value
        return out

    @contextlib.contextmanager
    def python_names(self) -> Iterator[None]:
        """An error about a field named by a Python keyword names its keyword argument."""
        try:
            yield
        except KeelError as e:
            back = {n: python_name(n) for n, _ in self.fields() if python_name(n) != n}
            if not back:
                raise

            def named(line: str) -> str:
                head, sep, _ = line.partition(":")
                key = head.strip()
                return line.replace(key, back[key], 1) if sep and key in back else line

            message = "\n".join(named(line) for line in str(e).split("\n"))
            raise type(e)(message, [named(d) for d in e.details]) from None

    def parameters(self) -> List[inspect.Parameter]:
        return [inspect.Parameter(python_name(n), inspect.Parameter.KEYWORD_ONLY,
                                  default=p.get("default"), annotation=_annotation(p, p.get("default") is None))
                for n, p in self.fields()]

    def docs(self) -> str:
        """One line per keyword argument: its name, default, unit and the request's description."""
        lines = [f"Request fields ({self.schema_name}; docs/api-reference.md), as keyword arguments:", ""]
        for n, p in self.fields():
            text = p.get("description", "")
            choices = _choices(p)
            if choices:
                text += (" " if text else "") + "(" + ", ".join(choices) + ")"
            default = p.get("default")
            lines.append(f"    {python_name(n)}: {text}" + (f"; default {default!r}" if default is not None else ""))
        return "\n".join(lines)

    def takes(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Gives ``fn`` (whose last parameter is ``**request``) the request's keyword arguments in its
        signature and its docstring."""
        defaults = self.defaults()
        own = [p.replace(default=defaults[p.name]) if p.default is UNSET and p.name in defaults else p
               for p in inspect.signature(fn).parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        taken = {p.name for p in own}
        extra = [p for p in self.parameters() if p.name not in taken]

        # The signature help() and editors show, and the docstring's list of the fields.
        fn.__signature__ = inspect.signature(fn).replace(parameters=own + extra)  # type: ignore[attr-defined]
        fn.__doc__ = (fn.__doc__ or "").rstrip() + "\n\n    " + self.docs().replace("\n", "\n    ") + "\n"
        return fn


def _choices(prop: Mapping[str, Any]) -> List[str]:
    if "enum" in prop:
        return [str(c) for c in prop["enum"]]
    for alt in prop.get("oneOf", []) + prop.get("anyOf", []):
        if "enum" in alt:
            return [str(c) for c in alt["enum"]]
    return []


def _annotation(prop: Mapping[str, Any], optional: bool) -> Any:
    types = prop.get("type")
    if isinstance(types, list):
        types = next((t for t in types if t != "null"), None)
    kind = {"number": float, "integer": int, "boolean": bool, "string": str}.get(types or "", _MISSING)
    return Optional[kind] if optional and kind is not _MISSING else kind

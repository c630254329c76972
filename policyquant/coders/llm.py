"""The ``"openai-compatible"`` coder: ask a chat-completions endpoint to code each clause.

Any server that speaks the OpenAI chat-completions protocol works: a local one
(llama.cpp's ``llama-server``, vLLM, Ollama) or a hosted one.  The coder sends
one request per distinct clause text, with a system prompt built from the
framework's codebook, and expects a JSON answer::

    {"instrument": "<instrument key>", "objectives": ["<objective key>", ...],
     "confidence": 0.8, "reason": "<one sentence>"}

Every answer is validated against the framework.  An invalid answer (not JSON,
an unknown instrument or objective, a missing field) is asked again, with the
error, up to ``retries`` times, then reported as a problem for that unit:
never stored as a code.  Timeouts, connection errors, HTTP 429 and 5xx are
retried with exponential backoff; other HTTP errors and responses larger than
``max_response_bytes`` are reported at once.  Valid answers are cached on disk
under the SHA-256 of the request (model, messages, settings), so that a rerun
costs nothing.

Only the standard library is used (:mod:`urllib.request`): no SDK, and no
network request unless this coder is built and asked to suggest.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._text import format_choices
from ..errors import UnknownCategoryError, ValidationError
from ..model import Framework
from ._base import Coder, Suggestions, units_frame

__all__ = ["ENVIRONMENT", "OpenAICompatibleCoder"]

#: Environment variables read for settings not given as arguments, first found wins.
ENVIRONMENT = {
    "base_url": ("POLICYQUANT_LLM_BASE_URL", "OPENAI_BASE_URL"),
    "model": ("POLICYQUANT_LLM_MODEL", "OPENAI_MODEL"),
    "api_key": ("POLICYQUANT_LLM_API_KEY", "OPENAI_API_KEY"),
}

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class _UnitError(Exception):
    """One unit's failure: ``kind`` is the problem column, the message says what happened."""

    def __init__(self, kind: str, message: str, retry: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry = retry


def _setting(value: str | None, name: str) -> str | None:
    if value is not None:
        return value
    for variable in ENVIRONMENT[name]:
        found = os.environ.get(variable)
        if found:
            return found
    return None


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policyquant" / "llm"


class OpenAICompatibleCoder(Coder):
    """A coder that asks an OpenAI-compatible chat endpoint to code each clause.

    Parameters
    ----------
    framework : str or Framework, default "wang2026"
    base_url : str, optional
        The API's base URL, up to ``/v1`` (``http://127.0.0.1:8080/v1``);
        the request goes to ``<base_url>/chat/completions``.  Default: the
        environment variable ``POLICYQUANT_LLM_BASE_URL``, else
        ``OPENAI_BASE_URL``.
    model : str, optional
        Default: ``POLICYQUANT_LLM_MODEL``, else ``OPENAI_MODEL``.
    api_key : str, optional
        Sent as a bearer token.  Default: ``POLICYQUANT_LLM_API_KEY``, else
        ``OPENAI_API_KEY``; none for a local server that needs none.  It is
        never written to the cache or to a message.
    fields : sequence of str, optional
        ``("instrument", "objectives")`` by default (those the framework has).
    language : {"zh", "en"}, default "zh"
        The language of the codebook in the prompt.
    cache_dir : path, optional
        Where answers are cached (``$XDG_CACHE_HOME/policyquant/llm`` by
        default); ``cache=False`` switches the cache off.
    timeout : float, default 60
        Seconds to wait for one response.
    retries : int, default 2
        How many times an invalid answer or a transient failure is asked again.
    backoff : float, default 1.0
        Seconds before the first retry of a transient failure, doubled each time.
    max_response_bytes : int, default 1_000_000
        A larger response is a problem for its unit, not read further.
    concurrency : int, default 4
        Requests in flight at once.
    temperature : float, default 0
    json_mode : bool, default True
        Ask for ``response_format: {"type": "json_object"}`` (servers that
        do not know it usually ignore it).

    Raises
    ------
    ValidationError
        If no base URL or model is given or found in the environment, or a
        setting is out of range (no request is made).

    Examples
    --------
    Building the coder makes no request; here, against a server that is not
    running, every unit is reported as a problem:

    >>> import pandas as pd
    >>> import policyquant as pq
    >>> coder = pq.coders.get_coder("openai-compatible", base_url="http://127.0.0.1:9/v1",
    ...                             model="any", cache=False, retries=0, timeout=2)
    >>> found = coder.suggest(pd.DataFrame({"unit_id": ["u1"], "text": ["制定标准。"]}))
    >>> found.frame.empty, found.problems["problem"].tolist()
    (True, ['connection error', 'connection error'])
    """

    name = "openai-compatible"

    def __init__(
        self,
        framework: str | Framework = "wang2026",
        *,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        fields: Sequence[str] | None = None,
        language: str = "zh",
        cache: bool = True,
        cache_dir: str | os.PathLike[str] | None = None,
        timeout: float = 60.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_response_bytes: int = 1_000_000,
        concurrency: int = 4,
        temperature: float = 0.0,
        json_mode: bool = True,
    ) -> None:
        super().__init__(framework, fields=fields)
        for field in self.fields:
            if field not in ("instrument", "objectives"):
                raise ValidationError(f"the openai-compatible coder suggests instruments and objectives, not {field!r}")
        base_url = _setting(base_url, "base_url")
        model = _setting(model, "model")
        if not base_url:
            raise ValidationError(
                "openai-compatible coder: no base URL; give base_url= or set POLICYQUANT_LLM_BASE_URL "
                "(e.g. http://127.0.0.1:8080/v1 for a local llama.cpp server)"
            )
        if not re.match(r"^https?://", base_url):
            raise ValidationError(f"openai-compatible coder: base_url must start with http:// or https://, got {base_url!r}")
        if not model:
            raise ValidationError("openai-compatible coder: no model; give model= or set POLICYQUANT_LLM_MODEL")
        for name, value, low in (
            ("timeout", timeout, 0),
            ("backoff", backoff, -1e-12),
            ("temperature", temperature, -1e-12),
        ):
            if not isinstance(value, int | float) or isinstance(value, bool) or not value > low:
                raise ValidationError(f"openai-compatible coder: {name} must be a positive number, got {value!r}")
        for name, value, low in (("retries", retries, 0), ("concurrency", concurrency, 1), ("max_response_bytes", max_response_bytes, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValidationError(f"openai-compatible coder: {name} must be a whole number of at least {low}, got {value!r}")
        if language not in ("zh", "en"):
            raise ValidationError(f"openai-compatible coder: language must be 'zh' or 'en', got {language!r}")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._api_key = _setting(api_key, "api_key")
        self.language = language
        self.cache_dir = (Path(cache_dir) if cache_dir is not None else _default_cache()) if cache else None
        self.timeout = float(timeout)
        self.retries = retries
        self.backoff = float(backoff)
        self.max_response_bytes = max_response_bytes
        self.concurrency = concurrency
        self.temperature = float(temperature)
        self.json_mode = json_mode
        self.system_prompt = self._system_prompt()

    # The prompt ---------------------------------------------------------------

    def _system_prompt(self) -> str:
        book = self.framework.codebook(language=self.language)
        label = "label_zh" if self.language == "zh" and "label_zh" in book.columns else "label"
        lines = [
            f"You code clauses of policy documents with the framework {self.framework.name!r}"
            + (f" ({self.framework.title})." if self.framework.title else "."),
        ]
        for part, title, field in (
            ("instrument", "Policy instruments (choose exactly one key)", "instrument"),
            ("objective", "Policy objectives (choose one or more keys)", "objectives"),
        ):
            if field not in self.fields:
                continue
            lines.append(f"\n{title}:")
            for row in book[book["part"] == part].itertuples(index=False):
                described = getattr(row, "description", "")
                described = "" if described is None or described != described else f": {described}"
                lines.append(f"- {row.key} ({getattr(row, label)}){described}")
        if "instrument" in self.fields:
            lines.append("- none: the clause carries no policy instrument (then objectives is []).")
        answer = {"instrument": "<key>", "objectives": ["<key>"], "confidence": 0.0, "reason": "<one sentence>"}
        keep = {k: v for k, v in answer.items() if k in (*self.fields, "confidence", "reason")}
        lines.append(
            "\nAnswer with one JSON object and nothing else, using the keys above exactly: "
            + json.dumps(keep, ensure_ascii=False)
            + ". confidence is your probability (0 to 1) that the instrument is right."
        )
        return "\n".join(lines)

    def _messages(self, text: str) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": self.system_prompt},
            {"role": "user", "content": f"Clause:\n{text}"},
        ]

    # One request --------------------------------------------------------------

    def _payload(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        payload: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature}
        if self.json_mode:
            payload["response_format"] = {"type": "json_object"}
        return payload

    def _key(self, payload: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """One HTTP request; the decoded response body, or a _UnitError."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        request = urllib.request.Request(f"{self.base_url}/chat/completions", data=body, headers=headers, method="POST")
        limit = self.max_response_bytes
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                if length is not None and length.isdigit() and int(length) > limit:
                    raise _UnitError("response too large", f"the response is {int(length):,} bytes, more than max_response_bytes={limit:,}")
                raw = response.read(limit + 1)
        except _UnitError:
            raise
        except urllib.error.HTTPError as error:
            transient = error.code == 429 or error.code >= 500
            detail = error.read(500).decode("utf-8", "replace").strip().replace("\n", " ")
            raise _UnitError(
                "http error", f"HTTP {error.code} {error.reason}" + (f": {detail[:200]}" if detail else ""), retry=transient
            ) from None
        except TimeoutError:
            raise _UnitError("timeout", f"no response within {self.timeout:g} s", retry=True) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise _UnitError("timeout", f"no response within {self.timeout:g} s", retry=True) from None
            raise _UnitError("connection error", f"cannot reach {self.base_url}: {error.reason}", retry=True) from None
        except (ConnectionError, OSError) as error:
            raise _UnitError("connection error", f"cannot reach {self.base_url}: {error}", retry=True) from None
        if len(raw) > limit:
            raise _UnitError("response too large", f"the response is more than max_response_bytes={limit:,} bytes")
        try:
            decoded = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _UnitError("not JSON", f"the server's response is not JSON: {raw[:80]!r}") from None
        if not isinstance(decoded, dict):
            raise _UnitError("not JSON", "the server's response is not a JSON object")
        return decoded

    def _content(self, decoded: dict[str, Any]) -> str:
        try:
            content = decoded["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise _UnitError("not JSON", "the response has no choices[0].message.content (not a chat completion)") from None
        if not isinstance(content, str):
            raise _UnitError("not JSON", "the answer (message content) is not text")
        return content

    def _validate(self, content: str) -> dict[str, Any]:
        """The answer as codes of the framework, or a _UnitError saying what is wrong (retried)."""
        fenced = _FENCE.match(content)
        text = fenced.group(1) if fenced else content.strip()
        try:
            answer = json.loads(text)
        except json.JSONDecodeError:
            raise _UnitError("invalid answer", f"the answer is not JSON: {text[:80]!r}", retry=True) from None
        if not isinstance(answer, dict):
            raise _UnitError("invalid answer", "the answer is not a JSON object", retry=True)
        codes: dict[str, Any] = {}
        if "instrument" in self.fields:
            value = answer.get("instrument")
            if not isinstance(value, str) or not value.strip():
                raise _UnitError("invalid answer", f"the answer has no instrument (got {value!r})", retry=True)
            if value.strip().lower() in ("none", "无"):
                codes["instrument"] = "none"
            else:
                try:
                    codes["instrument"] = self.framework.resolve("instrument", value)
                except UnknownCategoryError:
                    raise _UnitError(
                        "unknown code",
                        f"instrument {value[:80]!r} is not one of {format_choices(self.framework.instrument_keys)}",
                        retry=True,
                    ) from None
        if "objectives" in self.fields:
            value = answer.get("objectives", [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _UnitError("invalid answer", f"objectives must be a list of keys, got {value!r}"[:200], retry=True)
            keys = []
            for item in value:
                try:
                    keys.append(self.framework.resolve("objective", item))
                except UnknownCategoryError:
                    raise _UnitError(
                        "unknown code",
                        f"objective {item[:80]!r} is not one of {format_choices(self.framework.objective_keys)}",
                        retry=True,
                    ) from None
            if not keys and codes.get("instrument") not in (None, "none"):
                raise _UnitError("invalid answer", "the answer names no objective", retry=True)
            codes["objectives"] = list(dict.fromkeys(keys))
        confidence = answer.get("confidence")
        codes["confidence"] = (
            float(confidence)
            if isinstance(confidence, int | float) and not isinstance(confidence, bool) and 0 <= confidence <= 1
            else None
        )
        reason = answer.get("reason")
        codes["reason"] = reason[:500] if isinstance(reason, str) else ""
        return codes

    def _ask(self, text: str) -> dict[str, Any]:
        """Code one clause text: codes and usage, or a problem; never raises."""
        started = time.perf_counter()
        messages = self._messages(text)
        usage = {"attempts": 0, "cached": False, "prompt_tokens": 0, "completion_tokens": 0}
        invalid = 0
        transient = 0
        while True:
            payload = self._payload(messages)
            key = self._key(payload)
            cached = self._read_cache(key)
            try:
                if cached is not None:
                    usage["cached"] = True
                    content = cached
                else:
                    usage["attempts"] += 1
                    decoded = self._post(payload)
                    counts = decoded.get("usage") if isinstance(decoded.get("usage"), dict) else {}
                    for name in ("prompt_tokens", "completion_tokens"):
                        if isinstance(counts.get(name), int):
                            usage[name] += counts[name]
                    content = self._content(decoded)
                codes = self._validate(content)
            except _UnitError as problem:
                if problem.kind in ("invalid answer", "unknown code") and invalid < self.retries:
                    invalid += 1
                    # The model sees its answer and what was wrong with it, and answers again.
                    messages = [
                        *messages,
                        {"role": "assistant", "content": content[:4000]},
                        {"role": "user", "content": f"That answer is invalid: {problem}. Answer again with one JSON object."},
                    ]
                    continue
                if problem.retry and problem.kind not in ("invalid answer", "unknown code") and transient < self.retries:
                    time.sleep(self.backoff * 2**transient)
                    transient += 1
                    continue
                attempts = usage["attempts"]
                return {
                    "problem": problem.kind,
                    "message": f"{problem} (after {attempts} request{'s' if attempts != 1 else ''})",
                    **usage,
                    "seconds": time.perf_counter() - started,
                }
            if cached is None:
                self._write_cache(key, content)
            return {**codes, **usage, "seconds": time.perf_counter() - started}

    # The cache ----------------------------------------------------------------

    def _read_cache(self, key: str) -> str | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        content = entry.get("content") if isinstance(entry, dict) else None
        return content if isinstance(content, str) and entry.get("model") == self.model else None

    def _write_cache(self, key: str, content: str) -> None:
        if self.cache_dir is None:
            return
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = self.cache_dir / f".{key}.{os.getpid()}.{id(content)}.tmp"
            temporary.write_text(json.dumps({"model": self.model, "content": content}, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.cache_dir / f"{key}.json")
        except OSError:
            pass  # A cache that cannot be written costs a request next time, nothing more.

    # Suggesting ---------------------------------------------------------------

    def suggest(self, units: Any, top: int = 3) -> Suggestions:
        """Ask the endpoint to code each distinct clause text; invalid answers become problems.

        ``score`` is the model's own ``confidence`` (missing when it gives
        none or one outside [0, 1]); ``evidence`` its ``reason``.  One
        instrument per unit (``top`` has no effect: the model answers
        once).  The returned suggestions carry ``usage``: per unit, whether
        the answer came from the cache, the requests made, the seconds
        taken and the tokens the server counted.

        Parameters
        ----------
        units : Corpus, Segmentation or DataFrame
        top : int, default 3

        Returns
        -------
        Suggestions
        """
        frame = units_frame(units, function="suggest")
        texts = frame["text"].astype(object).to_numpy()
        distinct, inverse = np.unique(texts, return_inverse=True) if len(texts) else (np.array([], dtype=object), np.array([], dtype=np.int64))
        blank = np.array([not str(t).strip() for t in distinct], dtype=bool)
        answers: list[dict[str, Any]] = [{} for _ in distinct]
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            futures = {pool.submit(self._ask, str(text)): i for i, text in enumerate(distinct) if not blank[i]}
            for future in concurrent.futures.as_completed(futures):
                answers[futures[future]] = future.result()
        for i in np.flatnonzero(blank):
            answers[i] = {"problem": "no text", "message": "the unit has no text to code", "attempts": 0, "cached": False,
                          "prompt_tokens": 0, "completion_tokens": 0, "seconds": 0.0}
        ids = frame["unit_id"].to_numpy(dtype=object)
        rows, problems, usage = [], [], []
        # Usage is counted once per distinct text: the units sharing it cost nothing more.
        firsts = np.zeros(len(ids), dtype=bool)
        firsts[np.unique(inverse, return_index=True)[1]] = True
        for position, unit_id in enumerate(ids):
            answer = answers[inverse[position]]
            first = bool(firsts[position])
            usage.append(
                {
                    "unit_id": unit_id,
                    "cached": bool(answer.get("cached")) or not first,
                    "requests": answer.get("attempts", 0) if first else 0,
                    "seconds": answer.get("seconds", 0.0) if first else 0.0,
                    "prompt_tokens": answer.get("prompt_tokens", 0) if first else 0,
                    "completion_tokens": answer.get("completion_tokens", 0) if first else 0,
                }
            )
            if "problem" in answer:
                problems.extend(
                    {"unit_id": unit_id, "field": field, "problem": answer["problem"], "message": answer["message"]}
                    for field in self.fields
                )
                continue
            if "instrument" in self.fields:
                rows.append((unit_id, "instrument", answer["instrument"], answer["confidence"], answer["reason"], 1, True))
            if "objectives" in self.fields:
                for rank, key in enumerate(answer["objectives"], start=1):
                    rows.append((unit_id, "objectives", key, answer["confidence"], answer["reason"], rank, True))
        table = pd.DataFrame(rows, columns=["unit_id", "field", "code", "score", "evidence", "rank", "chosen"])
        found = Suggestions.build(
            table,
            coder=self.name,
            framework=self.framework,
            unit_ids=frame["unit_id"],
            fields=self.fields,
            problems=problems,
        )
        found.usage = pd.DataFrame(
            usage, columns=["unit_id", "cached", "requests", "seconds", "prompt_tokens", "completion_tokens"]
        )
        return found

    def __repr__(self) -> str:
        return (
            f"<OpenAICompatibleCoder: framework {self.framework.name!r}, model {self.model!r} at {self.base_url}, "
            f"fields {list(self.fields)}>"
        )

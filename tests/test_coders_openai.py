"""The openai-compatible coder (issue 16, item 5) against a real HTTP server on 127.0.0.1.

No language model can run here: the server speaks the chat-completions protocol
(POST /v1/chat/completions, JSON in, JSON out) but its answers are scripted by
the clause text it is asked about.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.coders import MachineCorpus, get_coder
from policyquant.coders.llm import OpenAICompatibleCoder
from policyquant.errors import ValidationError

VALID = {"instrument": "standards_and_norms", "objectives": ["public_safety"], "confidence": 0.9, "reason": "制定标准"}


class ChatServer:
    """A chat-completions server whose answer depends on the clause in the last user message."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.seen: dict[str, int] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                with server.lock:
                    server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                    clause = body["messages"][1]["content"].split("\n", 1)[1]
                    count = server.seen[clause] = server.seen.get(clause, 0) + 1
                server.answer(self, clause, count, body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def reply(handler, status: int, payload: bytes, content_type: str = "application/json") -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(payload)

    @staticmethod
    def completion(content: str) -> bytes:
        return json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
            },
            ensure_ascii=False,
        ).encode("utf-8")

    def answer(self, handler, clause: str, count: int, body: dict) -> None:
        if clause.startswith("VALID"):
            self.reply(handler, 200, self.completion(json.dumps(VALID, ensure_ascii=False)))
        elif clause == "LABEL":
            self.reply(handler, 200, self.completion('```json\n{"instrument": "试点示范", "objectives": ["应用场景完善"]}\n```'))
        elif clause == "NONE":
            self.reply(handler, 200, self.completion('{"instrument": "none", "objectives": []}'))
        elif clause == "INVALID-THEN-VALID":
            content = "I think it is a standard." if count == 1 else json.dumps(VALID)
            self.reply(handler, 200, self.completion(content))
        elif clause == "HTTP500":
            self.reply(handler, 500, b'{"error": "internal"}')
        elif clause == "HTTP404":
            self.reply(handler, 404, b'{"error": "no such model"}')
        elif clause == "FLAKY500":
            if count == 1:
                self.reply(handler, 500, b"overloaded")
            else:
                self.reply(handler, 200, self.completion(json.dumps(VALID)))
        elif clause == "SLOW":
            time.sleep(1.5)
            self.reply(handler, 200, self.completion(json.dumps(VALID)))
        elif clause == "NOTJSON":
            self.reply(handler, 200, b"<html>gateway error</html>", "text/html")
        elif clause == "UNKNOWN":
            self.reply(handler, 200, self.completion('{"instrument": "teleportation", "objectives": ["public_safety"]}'))
        elif clause == "UNKNOWN-OBJECTIVE":
            self.reply(handler, 200, self.completion('{"instrument": "infrastructure", "objectives": ["world_peace"]}'))
        elif clause == "HUGE":
            self.reply(handler, 200, self.completion("x" * 3_000_000))
        else:
            self.reply(handler, 400, b'{"error": "unexpected clause"}')

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server():
    chat = ChatServer()
    yield chat
    chat.close()


@pytest.fixture
def coder(server, tmp_path):
    return get_coder(
        "openai-compatible",
        base_url=server.url,
        model="scripted",
        api_key="sk-test",
        cache_dir=tmp_path / "cache",
        timeout=0.5,
        retries=1,
        backoff=0.01,
        max_response_bytes=200_000,
    )


def units(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": [f"N01-1-{i}" for i in range(1, len(texts) + 1)], "text": list(texts)})


def problems_of(found) -> dict[str, str]:
    frame = found.problems[found.problems["field"] == "instrument"]
    return dict(zip(frame["unit_id"], frame["problem"], strict=True))


def test_a_valid_answer_is_a_suggestion_with_confidence_and_reason(server, coder):
    before = len(server.requests)
    found = coder.suggest(units("VALID one"))
    assert found.frame[["field", "code", "score", "evidence"]].to_numpy().tolist() == [
        ["instrument", "standards_and_norms", 0.9, "制定标准"],
        ["objectives", "public_safety", 0.9, "制定标准"],
    ]
    assert found.problems.empty
    request = server.requests[before]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "scripted"
    assert request["body"]["response_format"] == {"type": "json_object"}
    # The prompt carries the codebook: every instrument key with its label.
    system = request["body"]["messages"][0]["content"]
    assert all(key in system for key in pq.get_framework("wang2026").instrument_keys)
    assert "标准规范" in system
    usage = found.usage.iloc[0]
    assert (usage["cached"], usage["requests"], usage["prompt_tokens"], usage["completion_tokens"]) == (False, 1, 100, 20)


def test_labels_and_fenced_json_are_accepted_and_resolved(coder):
    found = coder.suggest(units("LABEL"))
    assert found.frame["code"].tolist() == ["pilots_and_demonstrations", "application_scenarios"]
    assert found.frame["score"].isna().all()  # no confidence given: none invented


def test_a_rerun_is_answered_from_the_cache(server, coder, tmp_path):
    coder.suggest(units("VALID cached"))
    before = len(server.requests)
    again = get_coder("openai-compatible", base_url=server.url, model="scripted", cache_dir=tmp_path / "cache")
    found = again.suggest(units("VALID cached"))
    assert len(server.requests) == before  # nothing asked
    assert found.usage["cached"].tolist() == [True]
    assert found.frame["code"].tolist() == ["standards_and_norms", "public_safety"]
    # Another model is another key: it is asked.
    other = get_coder("openai-compatible", base_url=server.url, model="other", cache_dir=tmp_path / "cache")
    other.suggest(units("VALID cached"))
    assert len(server.requests) == before + 1
    # The key is never written to the cache.
    assert all("sk-test" not in p.read_text(encoding="utf-8") for p in (tmp_path / "cache").iterdir())


def test_units_with_the_same_text_cost_one_request(server, coder):
    before = len(server.requests)
    found = coder.suggest(units("VALID same", "VALID same", "VALID same"))
    assert len(server.requests) == before + 1
    assert found.usage["requests"].tolist() == [1, 0, 0]
    assert found.best()["instrument"].tolist() == ["standards_and_norms"] * 3


def test_an_invalid_answer_is_retried_with_the_error_then_stored(server, coder):
    before = len(server.requests)
    found = coder.suggest(units("INVALID-THEN-VALID"))
    assert found.frame["code"].tolist() == ["standards_and_norms", "public_safety"]
    retry = server.requests[before + 1]["body"]["messages"]
    assert retry[2] == {"role": "assistant", "content": "I think it is a standard."}
    assert "That answer is invalid: the answer is not JSON" in retry[3]["content"]


@pytest.mark.parametrize(
    ("clause", "problem", "message"),
    [
        ("HTTP500", "http error", "HTTP 500"),
        ("HTTP404", "http error", "HTTP 404"),
        ("SLOW", "timeout", "no response within 0.5 s"),
        ("NOTJSON", "not JSON", "not JSON"),
        ("UNKNOWN", "unknown code", "instrument 'teleportation' is not one of"),
        ("UNKNOWN-OBJECTIVE", "unknown code", "objective 'world_peace' is not one of"),
        ("HUGE", "response too large", "more than max_response_bytes=200,000"),
    ],
)
def test_each_failure_is_a_problem_for_its_unit_never_a_code(coder, clause, problem, message):
    found = coder.suggest(units("VALID fine", clause))
    assert problems_of(found) == {"N01-1-2": problem}
    text = found.problems.loc[found.problems["unit_id"] == "N01-1-2", "message"].iloc[0]
    assert message in text
    assert set(found.frame["unit_id"]) == {"N01-1-1"}
    machine = coder.code(units("VALID fine", clause))
    assert isinstance(machine, MachineCorpus)
    assert machine.units["unit_id"].tolist() == ["N01-1-1"]
    assert machine.uncoded["unit_id"].unique().tolist() == ["N01-1-2"]


def test_retries_count_and_transient_errors_recover(server, coder):
    before = len(server.requests)
    found = coder.suggest(units("HTTP500"))
    assert len(server.requests) == before + 2  # the first try and one retry
    assert "after 2 requests" in found.problems["message"].iloc[0]
    recovered = coder.suggest(units("FLAKY500"))
    assert recovered.problems.empty
    # A client error is not retried.
    before = len(server.requests)
    coder.suggest(units("HTTP404"))
    assert len(server.requests) == before + 1


def test_invalid_answers_are_not_cached(server, coder):
    coder.suggest(units("UNKNOWN"))
    before = len(server.requests)
    coder.suggest(units("UNKNOWN"))
    assert len(server.requests) == before + 2


def test_no_instrument_becomes_a_not_coded_unit(coder):
    machine = coder.code(units("NONE", "VALID x"))
    assert machine.not_coded["unit_id"].tolist() == ["N01-1-1"]
    assert machine.units["unit_id"].tolist() == ["N01-1-2"]


def test_the_server_not_running_is_a_connection_problem(tmp_path):
    coder = OpenAICompatibleCoder(base_url="http://127.0.0.1:9/v1", model="m", cache=False, retries=0)
    found = coder.suggest(units("VALID"))
    assert problems_of(found) == {"N01-1-1": "connection error"}


def test_settings_from_the_environment(monkeypatch, server):
    monkeypatch.setenv("POLICYQUANT_LLM_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_MODEL", "from-openai-env")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    coder = get_coder("openai-compatible", cache=False)
    assert (coder.base_url, coder.model) == (server.url, "from-openai-env")
    before = len(server.requests)
    coder.suggest(units("VALID env"))
    assert server.requests[before]["auth"] == "Bearer sk-env"
    assert "sk-env" not in repr(coder)


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"model": "m"}, "no base URL"),
        ({"base_url": "ftp://host/v1", "model": "m"}, "must start with http"),
        ({"base_url": "http://127.0.0.1:9/v1"}, "no model"),
        ({"base_url": "http://127.0.0.1:9/v1", "model": "m", "timeout": 0}, "timeout must be a positive number"),
        ({"base_url": "http://127.0.0.1:9/v1", "model": "m", "retries": -1}, "retries must be a whole number"),
        ({"base_url": "http://127.0.0.1:9/v1", "model": "m", "fields": ["AS"]}, "suggests instruments and objectives, not 'AS'"),
    ],
)
def test_bad_settings_are_refused_before_any_request(monkeypatch, options, pattern):
    for variable in ("POLICYQUANT_LLM_BASE_URL", "OPENAI_BASE_URL", "POLICYQUANT_LLM_MODEL", "OPENAI_MODEL"):
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(ValidationError, match=pattern):
        get_coder("openai-compatible", **options)


@settings(max_examples=15, deadline=None)
@given(clauses=st.lists(st.sampled_from(["VALID a", "UNKNOWN", "NOTJSON", "LABEL", "NONE", "HTTP404"]), min_size=1, max_size=6))
def test_code_never_stores_a_code_outside_the_framework(server, clauses):
    coder = OpenAICompatibleCoder(base_url=server.url, model="scripted", cache=False, retries=0, timeout=2)
    framework = pq.get_framework("wang2026")
    machine = coder.code(units(*clauses))
    assert set(machine.units["instrument"].astype(str)) <= set(framework.instrument_keys)
    assert {o for t in machine.units["objectives"] for o in t} <= set(framework.objective_keys)
    everything = set(machine.units["unit_id"]) | set(machine.not_coded["unit_id"]) | set(machine.uncoded["unit_id"])
    assert everything == set(units(*clauses)["unit_id"])

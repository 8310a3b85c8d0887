"""Strict checks of what a SCO sent a SCORM 2004 LMS: every call's error code, the API lifecycle,
the order the data model needs, and the format of every value set, as the SCORM 2004 run-time
environment defines them (stricter than scorm-again where the two differ)."""

from __future__ import annotations

import re
from typing import Any

from .learner import utf16_length

SUSPEND_LIMIT = 64_000
# timeinterval (second,10,2), as the runtime writes it: hours, minutes, seconds to hundredths.
DURATION = re.compile(r"^PT(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")
# time (second,10,-2) in UTC: 2026-12-04T15:50:04.12Z
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2}Z$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
IDENTIFIER = re.compile(r"^[\w\-().+:=@;$!*'%/#]{1,250}$")  # short_identifier_type's characters
ITEMS = r"[a-z](\[,\][a-z])*"
RESPONSES = {
    "true-false": re.compile(r"^(true|false)$"),
    "choice": re.compile(f"^{ITEMS}$"),
    "sequencing": re.compile(f"^{ITEMS}$"),
    "likert": re.compile(r"^[a-z]$"),
    "matching": re.compile(r"^[a-z]\[\.\][0-9a-z](\[,\][a-z]\[\.\][0-9a-z])*$"),
    # localized strings without a {lang} delimiter: one line, not opening with "{"
    "fill-in": re.compile(r"^(?!\{)(?!.*\[,\])[^\n]{0,250}$"),
    "long-fill-in": re.compile(r"^(?!\{)[^\n]{0,4000}$"),
}
INTERACTION = re.compile(r"^cmi\.interactions\.(\d+)\.(.+)$")
READS = ("cmi.mode", "cmi.entry", "cmi.learner_id", "cmi.completion_status", "cmi.success_status",
         "cmi.scaled_passing_score", "cmi.score.scaled", "cmi.suspend_data", "cmi.location",
         "cmi.interactions._count")
AFTER_TERMINATE = ("GetLastError", "GetErrorString", "GetDiagnostic")


def strict_problems_2004(log: list[dict[str, Any]]) -> list[str]:
    """Every way the SCO's calls break SCORM 2004 or this runtime's promises: any GetValue or
    SetValue with a non-zero error, a call after Terminate, Initialize not exactly once, a
    completion or success lowered, and every value's format."""
    problems: list[str] = []
    types: dict[int, str] = {}
    seen_indexes: list[int] = []
    initialised = terminated = 0
    completed = passed = False
    for entry in log:
        method, args, error = entry["method"], entry["args"], entry["error"]
        if terminated and method not in AFTER_TERMINATE:
            problems.append(f"{method}{args} after Terminate")
        if method == "Initialize":
            initialised += 1
        elif method == "Terminate":
            terminated += 1
        if method in ("GetValue", "SetValue", "Initialize", "Terminate") and error != "0":
            problems.append(f"{method}{args} failed with error {error}")
        if method == "GetValue" and args[0] not in READS:
            problems.append(f"GetValue {args[0]}: an element the runtime should not read")
        if method != "SetValue":
            continue
        name, value = args
        if name == "cmi.completion_status":
            if completed and value != "completed":
                problems.append(f"completion_status lowered to {value!r}")
            completed = completed or value == "completed"
        if name == "cmi.success_status":
            if passed and value != "passed":
                problems.append(f"success_status lowered to {value!r}")
            passed = passed or value == "passed"
        problems.extend(_value_problems(name, value, types, seen_indexes))
    if initialised != 1:
        problems.append(f"Initialize called {initialised} times")
    if terminated > 1:
        problems.append(f"Terminate called {terminated} times")
    if seen_indexes != list(range(len(seen_indexes))):
        problems.append(f"interaction indexes are not sequential: {seen_indexes}")
    return problems


def _value_problems(name: str, value: str, types: dict[int, str], seen_indexes: list[int]) -> list[str]:
    def bad(why: str) -> list[str]:
        return [f"{name} = {value!r}: {why}"]

    if name == "cmi.completion_status":
        return [] if value in ("incomplete", "completed") else bad("not a completion the runtime sets")
    if name == "cmi.success_status":
        return [] if value in ("passed", "failed") else bad("not a success the runtime sets")
    if name == "cmi.score.scaled":
        return [] if DECIMAL.match(value) and 0 <= float(value) <= 1 else bad("not from 0 to 1")
    if name in ("cmi.score.raw", "cmi.score.min", "cmi.score.max"):
        return [] if DECIMAL.match(value) and 0 <= float(value) <= 100 else bad("not a percentage")
    if name == "cmi.location":
        return [] if len(value) <= 1000 else bad("longer than 1000")
    if name == "cmi.suspend_data":
        size = utf16_length(value)
        return [] if size <= SUSPEND_LIMIT else bad(f"{size} characters, over {SUSPEND_LIMIT}")
    if name == "cmi.session_time":
        return [] if DURATION.match(value) else bad("not an ISO 8601 duration")
    if name == "cmi.exit":
        return [] if value in ("suspend", "normal") else bad("not suspend or normal")
    match = INTERACTION.match(name)
    if not match:
        return bad("an element the runtime should not set")
    index, field = int(match.group(1)), match.group(2)
    if index not in seen_indexes:
        seen_indexes.append(index)
    if field == "id":
        return [] if IDENTIFIER.match(value) else bad("not an identifier")
    if field == "type":
        types[index] = value
        return [] if value in RESPONSES else bad("not an interaction type the runtime sets")
    if index not in types:
        return bad("set before the interaction's type")
    if field in ("learner_response", "correct_responses.0.pattern"):
        kind = types[index]
        return [] if RESPONSES[kind].match(value) else bad(f"not a {kind} response")
    if field == "result":
        return [] if value in ("correct", "incorrect", "neutral") else bad("not correct/incorrect/neutral")
    if field == "weighting":
        return [] if DECIMAL.match(value) else bad("not a decimal")
    if field == "latency":
        return [] if DURATION.match(value) else bad("not an ISO 8601 duration")
    if field == "timestamp":
        return [] if TIMESTAMP.match(value) else bad("not an ISO 8601 time")
    if field == "description":
        return [] if 0 < len(value) <= 250 and "\n" not in value and not value.startswith("{") \
            else bad("not a one-line description of at most 250 characters")
    return bad("an interaction field the runtime should not set")

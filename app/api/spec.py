"""Each API operation declares its shapes once, with `@operation`: its body and query arguments are
validated against them before the view runs (the view gets them as `body` and `query`), its answer is
shaped by them, and the OpenAPI document is built from them and the URL map, so every route is
described and nothing else. `@operation` sits right above the view, under the route, login and rate
limit decorators: a request is authenticated and counted before its input is judged."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from pydantic import BaseModel, TypeAdapter

from app.api.schemas import Error
from app.api.schemas.checks import validated
from app.errors.domain import Malformed

REF = "#/components/schemas/{model}"
ERROR_STATUSES = {
    400: "Malformed request: JSON that does not parse, or text that is not Unicode",
    401: "Missing or bad token",
    403: "Not allowed",
    404: "Not found",
    409: "State conflict",
    422: "A rule or validation failed",
    429: "Rate limited",
}


@dataclass(frozen=True)
class Operation:
    summary: str
    status: int
    response: Any
    errors: frozenset[int]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    auth: bool
    media: str
    body_required: bool = True

    def statuses(self) -> list[int]:
        # Input no field can hold is refused before any view runs: 400 for a body that does not parse
        # and for text that is not Unicode (in any query string, so on every operation), 422 naming
        # the field for NUL characters and integers beyond 32 bits.
        found = {*self.errors, 400}
        if self.body is not None:
            found.add(422)
        if self.query is not None:
            found.add(422)
        return sorted(found)


def operation(
    summary: str,
    response: Any = None,
    errors: str = "",
    *,
    status: int = 200,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    auth: bool = True,
    media: str = "application/json",
    body_required: bool = True,
):
    """Declare a view's answer (`response`, a shape or a union of shapes, sent with `status`), the
    error statuses it can give, its JSON body (which may be left out when not `body_required`) and
    query arguments. A view returning a shape (or a shape and a status) answers with its JSON."""
    codes = frozenset(int(s) for s in errors.split())
    declared = Operation(summary, status, response, codes, body, query, auth, media, body_required)

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if declared.query is not None:
                kwargs["query"] = validated(declared.query, request.args.to_dict())
            if declared.body is not None:
                kwargs["body"] = validated(declared.body, _json_object(declared.body_required))
            answer = view(*args, **kwargs)
            if isinstance(answer, tuple) and isinstance(answer[0], BaseModel):
                return (answer[0].model_dump(mode="json", exclude_unset=True), *answer[1:])
            if isinstance(answer, BaseModel):
                return answer.model_dump(mode="json", exclude_unset=True)
            return answer

        wrapper.api_operation = declared
        return wrapper

    return decorate


def _json_object(required: bool) -> dict:
    """The request's JSON object; anything else is a 400, or no body at all where none is required."""
    data = request.get_json(silent=True)
    if isinstance(data, dict):
        return data
    if required:
        raise Malformed(_("The request body must be a JSON object."))
    return {}


def api_operations(app: Flask) -> list[tuple[str, str, Operation, list[dict]]]:
    """(OpenAPI path, method, operation, path parameters) of every /api/v1 route; a route without a
    declaration fails."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        declared = getattr(app.view_functions[rule.endpoint], "api_operation", None)
        if declared is None:
            raise LookupError(f"{rule.endpoint} has no @operation")
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "integer" if kind == "int" else "string"}}
            for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule)
        ]
        found += [(path, method.lower(), declared, parameters) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def build_document(app: Flask, info: dict) -> dict:
    """The OpenAPI 3.1 document of every API operation, its schemas generated from the shapes."""
    operations = api_operations(app)
    adapters = [(("error", ""), "serialization", TypeAdapter(Error))]
    for number, (_path, _method, declared, _parameters) in enumerate(operations):
        for part, mode in (("response", "serialization"), ("body", "validation"), ("query", "validation")):
            if getattr(declared, part) is not None:
                adapters.append(((number, part), mode, TypeAdapter(getattr(declared, part))))
    schemas, definitions = TypeAdapter.json_schemas(adapters, ref_template=REF)
    components = definitions.get("$defs", {})
    found = {key: schema for (key, _mode), schema in schemas.items()}
    paths: dict[str, dict] = {}
    for number, (path, method, declared, parameters) in enumerate(operations):
        parts = {part: found.get((number, part)) for part in ("response", "body", "query")}
        paths.setdefault(path, {})[method] = _operation(declared, parts, parameters, components)
    return {
        "openapi": "3.1.0",
        "info": info,
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def _operation(declared: Operation, parts: dict, parameters: list[dict], components: dict) -> dict:
    answer: dict = {"description": declared.summary}
    if declared.media != "application/json":
        answer["content"] = {media: {"schema": {"type": "string"}} for media in declared.media.split()}
    elif parts["response"] is not None:
        answer["content"] = {"application/json": {"schema": parts["response"]}}
    responses = {str(declared.status): answer}
    for status in declared.statuses():
        responses[str(status)] = {
            "description": ERROR_STATUSES[status],
            "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
        }
    described: dict = {"summary": declared.summary, "responses": responses}
    if parts["body"] is not None:
        body = _inline(parts["body"], components)
        described["requestBody"] = {
            "required": declared.body_required,
            "content": {"application/json": {"schema": body}},
        }
    if parts["query"] is not None:
        parameters = parameters + _query_parameters(parts["query"], components)
    if parameters:
        described["parameters"] = parameters
    described["security"] = [{"bearer": []}] if declared.auth else []
    return described


def _inline(schema: dict, components: dict) -> dict:
    """A body's own schema rather than a reference to it: schemathesis looks for its properties there."""
    return components.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)


def _query_parameters(schema: dict, components: dict) -> list[dict]:
    schema = _inline(schema, components)
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": _without_title(spec)}
        for name, spec in schema["properties"].items()
    ]


def _without_title(schema: dict) -> dict:
    return {key: value for key, value in schema.items() if key not in ("title", "default")}

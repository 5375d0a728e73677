"""The OpenAPI description covers every API route, and only those."""

import re


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:int:)?(\w+)>", r"{\1}", rule.rule)
            found |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_every_route_is_described_and_nothing_else(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    described = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert spec["openapi"].startswith("3.")
    assert described == _routes(app)


def test_references_resolve(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    names = set(spec["components"]["schemas"])
    used = set(re.findall(r'"#/components/schemas/(\w+)"', str(spec).replace("'", '"')))
    assert used and used <= names

"""API: the OpenAPI 3 description of every endpoint in API.md."""

from __future__ import annotations

from app.api import bp

DISTRICT = {"type": "string", "enum": ["liwan", "nanhai"]}
HOST = {"type": "string", "enum": ["liwan", "nanhai", "joint"]}
KIND = {"type": "string", "enum": ["exchange", "study_tour", "youth_camp"]}
THEME = {
    "type": ["string", "null"],
    "enum": ["red_culture", "traditional_culture", "industry", "rural_revitalisation", "party_services", None],
}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
ID = {"type": "integer"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": True}


def items_of(name: str) -> dict:
    return obj(["items"], items={"type": "array", "items": ref(name)})


SCHEMAS = {
    "Error": obj(
        ["error"],
        error=obj(
            ["code", "message"],
            code={"type": "string"},
            message={"type": "string"},
            fields={"type": "object", "additionalProperties": {"type": "string"}},
        ),
    ),
    "User": obj(
        ["id", "name", "email", "role", "district", "talent_status", "calendar_url"],
        id=ID,
        name={"type": "string"},
        email={"type": "string"},
        role={"type": "string", "enum": ["talent", "organiser", "admin"]},
        district={"type": ["string", "null"]},
        talent_status={"type": "string", "enum": ["verified", "pending", "none"]},
        calendar_url={"type": "string"},
    ),
    "Token": obj(["token", "user"], token={"type": "string"}, user=ref("User")),
    "Home": obj(
        ["id", "district", "name", "address", "opening_hours"],
        id=ID,
        district=DISTRICT,
        name={"type": "string"},
        address={"type": "string"},
        opening_hours={"type": "object"},
    ),
    "Room": obj(
        ["id", "home", "name", "capacity", "equipment", "requires_approval"],
        id=ID,
        home=DISTRICT,
        name={"type": "string"},
        capacity={"type": "integer"},
        equipment={"type": "array", "items": {"type": "string"}},
        requires_approval={"type": "boolean"},
    ),
    "Interval": obj(["start", "end"], start=DATETIME, end=DATETIME),
    "Schedule": obj(
        ["busy", "free"],
        busy={"type": "array", "items": ref("Interval")},
        free={"type": "array", "items": ref("Interval")},
    ),
    "Booking": obj(
        ["id", "room_id", "start", "end", "status"],
        id=ID,
        room_id=ID,
        start=DATETIME,
        end=DATETIME,
        title={"type": "string"},
        purpose={"type": "string"},
        attendees={"type": "integer"},
        status={"type": "string", "enum": ["pending", "confirmed", "rejected", "cancelled", "no_show"]},
        can_cancel={"type": "boolean"},
        can_check_in={"type": "boolean"},
    ),
    "Session": obj(["start", "end"], id=ID, start=DATETIME, end=DATETIME),
    "Event": obj(
        ["id", "kind", "title", "host", "start", "end", "sessions", "capacity", "status"],
        id=ID,
        kind=KIND,
        title={"type": "string"},
        description={"type": "string"},
        host=HOST,
        start=DATETIME,
        end=DATETIME,
        sessions={"type": "array", "items": ref("Session")},
        venue={"type": ["object", "null"]},
        capacity={"type": "integer"},
        quota={"type": ["object", "null"]},
        places_left={"type": "integer"},
        waitlist_count={"type": "integer"},
        registration_opens_at=NULLABLE_DATETIME,
        registration_closes_at=NULLABLE_DATETIME,
        status={"type": "string", "enum": ["draft", "published", "cancelled", "completed"]},
        theme=THEME,
        itinerary={"type": ["array", "null"]},
        min_age={"type": ["integer", "null"]},
        max_age={"type": ["integer", "null"]},
    ),
    "Registration": obj(
        ["id", "status"],
        id=ID,
        event_id=ID,
        status={"type": "string", "enum": ["confirmed", "waitlisted", "cancelled"]},
        waitlist_position={"type": ["integer", "null"]},
        check_in_code={"type": ["string", "null"]},
    ),
    "Attendance": obj(
        ["registered", "attended", "no_show", "attendance_rate", "by_district", "published"],
        registered={"type": "integer"},
        attended={"type": "integer"},
        no_show={"type": "integer"},
        attendance_rate={"type": ["number", "null"]},
        by_district={"type": "object"},
        published={"type": "boolean"},
    ),
    "Participant": obj(
        ["name", "birth_date", "guardian_relation", "emergency_contact"],
        name={"type": "string"},
        birth_date={"type": "string", "format": "date"},
        guardian_relation={"type": "string"},
        emergency_contact={"type": "string"},
        health_notes={"type": "string"},
    ),
}

ERROR_STATUSES = {
    "400": "Malformed JSON",
    "401": "Missing or bad token",
    "403": "Not allowed",
    "404": "Not found",
    "409": "State conflict",
    "422": "A rule or validation failed",
    "429": "Rate limited",
}


def op(
    summary: str,
    ok: str,
    schema: dict | None,
    errors: str = "",
    body: dict | None = None,
    params: list | None = None,
    auth: bool = True,
) -> dict:
    responses = {ok: {"description": summary}}
    if schema is not None:
        responses[ok]["content"] = {"application/json": {"schema": schema}}
    statuses = set(errors.split())
    # Input no field can hold (NUL characters, integers beyond 32 bits, JSON nested too deep) is
    # refused before any view runs: 400 for the body's shape, 422 naming the field.
    if body is not None:
        statuses |= {"400", "422"}
    if any(param.get("in") == "query" for param in params or []):
        statuses.add("422")
    for status in sorted(statuses):
        responses[status] = {
            "description": ERROR_STATUSES[status],
            "content": {"application/json": {"schema": ref("Error")}},
        }
    operation = {"summary": summary, "responses": responses}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        operation["parameters"] = params
    operation["security"] = [{"bearer": []}] if auth else []
    return operation


def q(name: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def p(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _paths() -> dict:
    credential = obj(
        ["issuer", "number"],
        issuer={"type": "string", "enum": ["liwan_yingcai", "nanhai_kunpeng", "foshan_youyue"]},
        number={"type": "string"},
    )
    register = obj(
        ["name", "email", "password", "district", "credential", "consent"],
        name={"type": "string"},
        email={"type": "string"},
        password={"type": "string"},
        district=DISTRICT,
        phone={"type": "string"},
        credential=credential,
        consent={"type": "boolean"},
    )
    booking_in = obj(
        ["room_id", "start", "end", "title", "purpose", "attendees"],
        room_id=ID,
        start=DATETIME,
        end=DATETIME,
        title={"type": "string"},
        purpose={"type": "string", "enum": ["seminar", "training", "networking", "other"]},
        attendees={"type": "integer"},
        repeat=obj([], weekly={"type": "integer"}),
        free_dates_only={"type": "boolean"},
    )
    event_in = obj(
        [],
        kind=KIND,
        title={"type": "string"},
        description={"type": "string"},
        host=HOST,
        start=DATETIME,
        end=DATETIME,
        capacity={"type": "integer"},
        venue={"type": "object"},
        sessions={"type": "array", "items": ref("Session")},
        quota={"type": ["object", "null"]},
        registration_opens_at=NULLABLE_DATETIME,
        registration_closes_at=NULLABLE_DATETIME,
        theme=THEME,
        itinerary={"type": "array"},
        min_age={"type": ["integer", "null"]},
        max_age={"type": ["integer", "null"]},
    )
    signup = obj(
        ["consent"],
        consent={"type": "boolean"},
        participant=ref("Participant"),
        participants={"type": "array", "items": ref("Participant")},
    )
    reason = obj([], reason={"type": "string"})
    status_body = obj(["status"], status={"type": "string"})
    return {
        "/api/v1/auth/token": {
            "post": op(
                "Get a bearer token",
                "200",
                ref("Token"),
                "400 401 429",
                obj(["email", "password"], email={"type": "string"}, password={"type": "string"}),
                auth=False,
            )
        },
        "/api/v1/auth/logout": {"post": op("Revoke the token used", "204", None, "401")},
        "/api/v1/auth/password-reset": {
            "post": op(
                "Send a reset link if the address exists",
                "202",
                None,
                "400 429",
                obj(["email"], email={"type": "string"}),
                auth=False,
            )
        },
        "/api/v1/auth/password-reset/confirm": {
            "post": op(
                "Set a new password with the e-mailed token",
                "200",
                status_body,
                "400 422",
                obj(["token", "password"], token={"type": "string"}, password={"type": "string"}),
                auth=False,
            )
        },
        "/api/v1/users": {
            "post": op(
                "Register",
                "201",
                obj(["id", "talent_status"], id=ID, talent_status={"type": "string"}),
                "400 409 422 429",
                register,
                auth=False,
            )
        },
        "/api/v1/me": {
            "get": op("The caller", "200", ref("User"), "401"),
            "delete": op(
                "Erase the caller's account", "204", None, "400 401 422", obj(["password"], password={"type": "string"})
            ),
        },
        "/api/v1/me/password": {
            "post": op(
                "Change the password; every other token and session ends",
                "204",
                None,
                "400 401 422",
                obj(
                    ["current_password", "new_password"],
                    current_password={"type": "string"},
                    new_password={"type": "string"},
                ),
            )
        },
        "/api/v1/me/export": {"get": op("Everything held about the caller", "200", {"type": "object"}, "401")},
        "/api/v1/me/calendar-token": {
            "post": op("New personal feed URL", "200", obj(["calendar_url"], calendar_url={"type": "string"}), "401")
        },
        "/api/v1/homes": {"get": op("The two homes", "200", items_of("Home"), "", auth=False)},
        "/api/v1/rooms": {
            "get": op(
                "Rooms",
                "200",
                items_of("Room"),
                "422",
                params=[q("home", DISTRICT), q("min_capacity", {"type": "integer"})],
                auth=False,
            )
        },
        "/api/v1/rooms/{room_id}": {
            "get": op("One room", "200", ref("Room"), "404", params=[p("room_id")], auth=False)
        },
        "/api/v1/rooms/available": {
            "get": op(
                "Rooms free for the whole interval",
                "200",
                items_of("Room"),
                "422",
                params=[
                    q("start", DATETIME, True),
                    q("end", DATETIME, True),
                    q("home", DISTRICT),
                    q("min_capacity", {"type": "integer"}),
                ],
                auth=False,
            )
        },
        "/api/v1/rooms/{room_id}/schedule": {
            "get": op(
                "A room's day",
                "200",
                ref("Schedule"),
                "404 422",
                params=[p("room_id"), q("date", {"type": "string", "format": "date"})],
                auth=False,
            )
        },
        "/api/v1/bookings": {
            "get": op(
                "Own bookings (organisers: ?home=)",
                "200",
                items_of("Booking"),
                "401 403 422",
                params=[q("home", DISTRICT)],
            ),
            "post": op(
                "Book a room",
                "201",
                {"anyOf": [ref("Booking"), items_of("Booking")]},
                "400 401 403 404 409 422",
                booking_in,
            ),
        },
        "/api/v1/bookings/{booking_id}": {
            "get": op("One booking", "200", ref("Booking"), "401 404", params=[p("booking_id")])
        },
        **{
            f"/api/v1/bookings/{{booking_id}}/{action}": {
                "post": op(
                    f"{action.title()} a booking",
                    "200",
                    ref("Booking") if action != "cancel" else status_body,
                    "400 401 403 404 409 422",
                    reason,
                    params=[p("booking_id")],
                )
            }
            for action in ("cancel", "approve", "reject", "check-in")
        },
        "/api/v1/events": {
            "get": op(
                "Published events",
                "200",
                items_of("Event"),
                "422",
                params=[
                    q("kind", KIND),
                    q("district", DISTRICT),
                    q("from", DATETIME),
                    q("to", DATETIME),
                    q("status", {"type": "string"}),
                ],
                auth=False,
            ),
            "post": op("Create a draft", "201", ref("Event"), "400 401 403 409 422", event_in),
        },
        "/api/v1/events/{event_id}": {
            "get": op("One event", "200", ref("Event"), "404", params=[p("event_id")], auth=False),
            "patch": op(
                "Update an event", "200", ref("Event"), "400 401 403 404 409 422", event_in, params=[p("event_id")]
            ),
        },
        **{
            f"/api/v1/events/{{event_id}}/{action}": {
                "post": op(
                    f"{action.title()} an event", "200", ref("Event"), "401 403 404 409 422", params=[p("event_id")]
                )
            }
            for action in ("publish", "cancel")
        },
        "/api/v1/events/{event_id}/registrations": {
            "post": op(
                "Sign up",
                "201",
                {"anyOf": [ref("Registration"), items_of("Registration")]},
                "400 401 403 404 409 422",
                signup,
                params=[p("event_id")],
            ),
            "get": op("Roster", "200", items_of("Registration"), "401 403 404", params=[p("event_id")]),
        },
        "/api/v1/registrations": {"get": op("Own registrations", "200", items_of("Registration"), "401")},
        "/api/v1/registrations/{registration_id}": {
            "get": op("One registration", "200", ref("Registration"), "401 404", params=[p("registration_id")])
        },
        "/api/v1/registrations/{registration_id}/promote": {
            "post": op(
                "Move a waiting entry up (organisers)",
                "200",
                ref("Registration"),
                "401 403 404 409 422",
                params=[p("registration_id")],
            )
        },
        "/api/v1/registrations/{registration_id}/cancel": {
            "post": op(
                "Cancel a registration", "200", ref("Registration"), "401 403 404 409", params=[p("registration_id")]
            )
        },
        "/api/v1/events/{event_id}/check-ins/{check_in_id}": {
            "delete": op("Undo a check-in", "204", None, "401 403 404", params=[p("event_id"), p("check_in_id")])
        },
        "/api/v1/events/{event_id}/check-ins": {
            "get": op("Check-ins of an event", "200", {"type": "object"}, "401 403 404", params=[p("event_id")]),
            "post": op(
                "Check someone in",
                "201",
                {"type": "object"},
                "400 401 403 404 409 422",
                obj(["code"], code={"type": "string"}, session_id=ID),
                params=[p("event_id")],
            ),
        },
        "/api/v1/events/{event_id}/attendance": {
            "get": op("Attendance record", "200", ref("Attendance"), "401 403 404", params=[p("event_id")], auth=False)
        },
        "/api/v1/events/{event_id}/attendance/publish": {
            "post": op(
                "Publish the attendance record", "200", ref("Attendance"), "401 403 404 409 422", params=[p("event_id")]
            )
        },
        "/api/v1/openapi.json": {"get": op("This description", "200", {"type": "object"}, "", auth=False)},
    }


def build_spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Talent Home API",
            "version": "1.0.0",
            "description": "Rooms and events of the Liwan–Nanhai Talent Homes.",
        },
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
def openapi():
    return build_spec()

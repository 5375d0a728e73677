"""Check-in codes: unguessable, short enough to type, without characters that look alike."""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_code() -> str:
    """8 characters from 31 symbols: about 40 bits, stored upper-case without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(raw: object) -> str:
    """What a person typed or a scanner read, as stored: upper-case, without spaces or hyphens."""
    if not isinstance(raw, str):
        return ""
    return "".join(raw.split()).replace("-", "").replace("\u2010", "").upper()


def display_code(code: str) -> str:
    """ABCD-EFGH: easier to read aloud and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code

"""A desk user's public face: the name on the bylines of the fact-checks they write or review.

Every desk user sets their own; an empty name means "use my full name" (``public_name``).
"""

import re
import unicodedata

from django.db import transaction

from core.errors import ApplicationError
from factcheck.models import DeskProfile

DISPLAY_NAME_MAX_CHARS = DeskProfile._meta.get_field("display_name").max_length or 150
# Bidirectional overrides and isolates can make a byline read as another name.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_SPACES = re.compile(r" {2,}")


class ProfileEditRefused(ApplicationError):
    """A display name that may not be stored; ``reason`` says why."""


def display_name_clean(name: str) -> str:
    """``name`` as it will be printed: NFC, outer spaces stripped, inner runs of spaces made one.

    Refuses control characters (line breaks and tabs included), direction overrides and a
    name past ``DISPLAY_NAME_MAX_CHARS``. Only spaces gives "" (the full name is used).
    """
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", name).strip())
    if len(cleaned) > DISPLAY_NAME_MAX_CHARS:
        raise ProfileEditRefused(
            f"The public name can be at most {DISPLAY_NAME_MAX_CHARS} characters; this one has {len(cleaned)}."
        )
    for char in cleaned:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Zl", "Zp") or char in _BIDI_CONTROLS:
            raise ProfileEditRefused(
                "The public name may not contain line breaks, tabs or other control characters "
                f"(found U+{ord(char):04X})."
            )
    return cleaned


def profile_set_display_name(*, user, name: str) -> DeskProfile:
    """Set ``user``'s byline name (``display_name_clean`` of ``name``); "" means the full name."""
    cleaned = display_name_clean(name)
    with transaction.atomic():
        profile, created = DeskProfile.objects.select_for_update().get_or_create(
            user=user, defaults={"display_name": cleaned}
        )
        if not created and profile.display_name != cleaned:
            profile.display_name = cleaned
            profile.save(update_fields=["display_name"])
    user.desk_profile = profile
    return profile

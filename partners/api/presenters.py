"""The fact-check answers (list pages and details) built as plain dicts from plain rows.

They are exactly what ``serializers.FactCheckSerializer`` makes of the same fact-checks
(the serializers remain the OpenAPI schema's description of the shape, and a test holds the
two to the same JSON), without a serializer instance, a model instance or a URL reversal
per row: the rows are two queries of columns (``partners.selectors.factcheck_rows``), and the
links are the request's one reversed prefix plus the id (or slug).
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework import ISO_8601
from rest_framework.settings import api_settings

from core.links import safe_url
from factcheck import ratings
from partners.selectors import factcheck_rows
from public.claimreview import factcheck_slug_of

_SLUG_MARK = "slug-0"


class _Format:
    """Date-times as DRF's ``DateTimeField`` renders them: in the current time zone, ISO 8601,
    ``Z`` for UTC (or DRF's ``DATETIME_FORMAT`` when one is set)."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None
        self.datetime_format = api_settings.DATETIME_FORMAT
        self.date_format = api_settings.DATE_FORMAT

    def datetime(self, value: dt.datetime | None) -> str | None:
        if not value:
            return None
        if self.zone is not None:
            value = (
                value.astimezone(self.zone)
                if timezone.is_aware(value)
                else timezone.make_aware(value, self.zone)
            )
        elif timezone.is_aware(value):
            value = timezone.make_naive(value, dt.UTC)
        if self.datetime_format is None:
            return value  # type: ignore[return-value]  # DRF passes it on as is
        if self.datetime_format.lower() != ISO_8601:
            return value.strftime(self.datetime_format)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def date(self, value: dt.date | None) -> str | None:
        if not value:
            return None
        if self.date_format is None:
            return value  # type: ignore[return-value]
        if self.date_format.lower() != ISO_8601:
            return value.strftime(self.date_format)
        return value.isoformat()


def rating_payload(key: str) -> dict:
    """A rating key as the API shows it (the serializer's ``RatingField`` answers the same)."""
    rating = ratings.rating_for(key)
    return {
        "key": key,
        "label": rating.label if rating else key,
        "value": rating.value if rating else None,
        "best": ratings.BEST_RATING,
        "worst": ratings.WORST_RATING,
    }


def _article(row: dict, fmt: _Format) -> dict | None:
    if row["article_id"] is None:
        return None
    outlet = (
        None
        if row["article__outlet_id"] is None
        else {"name": row["article__outlet__name"], "domain": row["article__outlet__domain"]}
    )
    return {
        "title": row["article__title"],
        "url": safe_url(row["article__url"]),
        "published_at": fmt.datetime(row["article__published_at"]),
        "outlet": outlet,
    }


def _seen_at(row: dict) -> dt.datetime:
    # ``Claim.seen_at``: the article's publication, else the claim's arrival.
    return (row["article__published_at"] if row["article_id"] is not None else None) or row["created_at"]


class Links:
    """The API and public links of fact-checks, from one reversal each per request."""

    def __init__(self, request) -> None:
        list_path = reverse("api:factcheck-list")
        self.api = (
            request.build_absolute_uri(list_path) if request is not None else settings.SITE_URL + list_path
        )
        public = reverse("public:factcheck_detail", kwargs={"slug": _SLUG_MARK})
        head, _, self.public_tail = public.rpartition(_SLUG_MARK)
        self.public_head = settings.SITE_URL.rstrip("/") + head

    def detail(self, pk: int) -> str:
        return f"{self.api}{pk}/"

    def public(self, pk: int, text: str) -> str:
        return f"{self.public_head}{factcheck_slug_of(pk=pk, text=text)}{self.public_tail}"


def factchecks_present(ids: list[int], request) -> list[dict]:
    """The answers for the public fact-checks ``ids``, in that order (ids no longer public
    are left out)."""
    if not ids:
        return []
    claims, verdict_rows = factcheck_rows(ids)
    fmt = _Format()
    links = Links(request)
    by_id = {row["id"]: row for row in claims}
    members: dict[int, list[dict]] = {}
    for row in claims:
        if row["same_as_id"] is not None:
            members.setdefault(row["same_as_id"], []).append(row)
    current: dict[int, dict] = {}
    versions: dict[int, dict[int, dict]] = {}
    for row in verdict_rows:
        claim_versions = versions.setdefault(row["claim_id"], {})
        verdict = claim_versions.get(row["id"])
        if verdict is None:
            verdict = claim_versions[row["id"]] = {**row, "sources": []}
            if row["is_current"]:
                current[row["claim_id"]] = verdict
        if row["sources__id"] is not None:
            verdict["sources"].append(
                {
                    "url": row["sources__url"],
                    "title": row["sources__title"],
                    "publisher": row["sources__publisher"],
                    "accessed_at": fmt.date(row["sources__accessed_at"]),
                }
            )
    out = []
    for pk in ids:
        row = by_id.get(pk)
        if row is None or row["first_published_at"] is None:
            continue
        verdict = current.get(pk)
        ordered = sorted(versions.get(pk, {}).values(), key=lambda v: v["version"])
        seen = sorted([row, *members.get(pk, [])], key=lambda r: (_seen_at(r), r["id"]))
        out.append(
            {
                "id": pk,
                "url": links.detail(pk),
                "public_url": links.public(pk, row["text"]),
                "text": row["text"],
                "claimant": row["claimant"],
                "article": _article(row, fmt),
                "verdict": None
                if verdict is None
                else {
                    "rating": rating_payload(verdict["rating"]),
                    "summary": verdict["summary"],
                    "version": verdict["version"],
                    "published_at": fmt.datetime(verdict["published_at"]),
                    "sources": verdict["sources"],
                },
                "corrections": [
                    {
                        "version": v["version"],
                        "note": v["correction_note"],
                        "published_at": fmt.datetime(v["published_at"]),
                    }
                    for v in ordered
                    if v["published_at"] is not None and v["correction_note"]
                ],
                "appearances": [
                    {
                        "text": member["text"],
                        "claimant": member["claimant"],
                        "seen_at": fmt.datetime(_seen_at(member)),
                        "article": _article(member, fmt),
                        "url": safe_url(member["appearance_url"]),
                    }
                    for member in seen
                ],
                "published_at": fmt.datetime(row["first_published_at"]),
                "updated_at": fmt.datetime(row["modified_at"]),
            }
        )
    return out


def factcheck_present(pk: int, request) -> dict | None:
    """The answer for one public fact-check, or None when it is not public."""
    found = factchecks_present([pk], request)
    return found[0] if found else None

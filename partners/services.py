"""Partner services: API keys (created, checked, revoked) and tips submitted through the API.

A key reads ``fc_<prefix>.<secret>``: the prefix finds the row, the secret is checked
against ``hashed_secret``. Only the hash is stored, so a key is shown once, at creation.
The secret is 32 random bytes, so a fast keyed hash (HMAC-SHA256 with a per-key salt) is
enough: there is nothing to brute-force that a slow hash would protect.
"""

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import ApplicationError
from coverage.grouping import claim_group
from factcheck.models import Claim, ClaimOrigin, ClaimState
from factcheck.services.claims import candidate_analysis, claim_add, claim_fingerprint
from factcheck.services.extraction import text_claim_candidates
from partners.models import ApiKey, Partner, Tip

logger = logging.getLogger(__name__)

KEY_PREFIX = "fc_"
_HASH_SCHEME = "hmac-sha256"
# Only refresh ``last_used_at`` this often: a write per request would cost more than it tells.
LAST_USED_RESOLUTION_SECONDS = 60


class ScopeError(ApplicationError):
    """An unusable scope list; ``reason`` says which scope is wrong."""


def _hash_secret(secret: str, salt: str) -> str:
    digest = hmac.new(salt.encode(), secret.encode(), hashlib.sha256).hexdigest()
    return f"{_HASH_SCHEME}${salt}${digest}"


def scopes_normalise(scopes) -> str:
    """``"read, submit"`` or ``["read"]`` → ``"read,submit"``; unknown scopes are refused."""
    items = scopes.split(",") if isinstance(scopes, str) else list(scopes)
    cleaned = []
    for item in items:
        scope = item.strip().lower()
        if not scope:
            continue
        if scope not in ApiKey.SCOPES:
            raise ScopeError(f"Unknown scope {scope!r}; choose from {', '.join(ApiKey.SCOPES)}.")
        if scope not in cleaned:
            cleaned.append(scope)
    if not cleaned:
        raise ScopeError("A key needs at least one scope.")
    return ",".join(sorted(cleaned, key=ApiKey.SCOPES.index))


def partner_ensure(*, name: str) -> tuple[Partner, bool]:
    """The partner with this name, created (active) when missing."""
    name = name.strip()
    if not name:
        raise ValueError("A partner needs a name.")
    return Partner.objects.get_or_create(name=name)


def api_key_create(*, partner: Partner, name: str = "", scopes="read") -> tuple[ApiKey, str]:
    """Create a key and return it with the full key string, which is never stored."""
    scope_text = scopes_normalise(scopes)
    prefix = secrets.token_hex(6)
    while ApiKey.objects.filter(prefix=prefix).exists():  # 48 bits: practically never loops
        prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        partner=partner,
        name=name.strip(),
        prefix=prefix,
        hashed_secret=_hash_secret(secret, secrets.token_hex(16)),
        scopes=scope_text,
    )
    return key, f"{KEY_PREFIX}{prefix}.{secret}"


def api_key_split(full_key: str) -> tuple[str, str] | None:
    """(prefix, secret) of a key string, or None when it cannot be a key at all."""
    full_key = full_key.strip()
    if not full_key.startswith(KEY_PREFIX) or "." not in full_key:
        return None
    prefix, _, secret = full_key[len(KEY_PREFIX) :].partition(".")
    # Prefixes are hex; anything else (a NUL byte makes PostgreSQL raise) is no key at all.
    if not prefix or not secret or len(prefix) > 16 or not (prefix.isascii() and prefix.isalnum()):
        return None
    return prefix, secret


def _secret_matches(secret: str, hashed: str) -> bool:
    scheme, _, rest = hashed.partition("$")
    salt, _, _digest = rest.partition("$")
    if scheme != _HASH_SCHEME or not salt:
        return False
    return hmac.compare_digest(_hash_secret(secret, salt), hashed)


def api_key_by_prefix(*, prefix: str) -> ApiKey | None:
    """The key row (with its partner) for a prefix, live or not (one query)."""
    return ApiKey.objects.select_related("partner").filter(prefix=prefix).first()


def api_key_accepts(*, api_key: ApiKey | None, secret: str) -> bool:
    """The secret is this key's (compared in constant time), and the key and its partner are live."""
    if api_key is None or not _secret_matches(secret, api_key.hashed_secret):
        return False
    return api_key_live(api_key=api_key)


def api_key_live(*, api_key: ApiKey) -> bool:
    """Neither the key nor its partner is revoked or inactive (the secret is checked apart)."""
    return not api_key.revoked and api_key.partner.active


def api_key_verify(*, full_key: str) -> ApiKey | None:
    """The live key for this string, or None if unknown, wrong, revoked or its partner inactive.

    One query (the key with its partner). The secret is compared in constant time.
    """
    parts = api_key_split(full_key)
    if parts is None:
        return None
    prefix, secret = parts
    key = api_key_by_prefix(prefix=prefix)
    return key if api_key_accepts(api_key=key, secret=secret) else None


# The API keeps a key's row in the cache (``partners.api.gate``) for this long at most, so a
# change made past the services below (a shell, a bulk update) holds within a minute.
API_KEY_CACHE_SECONDS = 60
API_KEY_CACHE = "api-key:%s"


def api_key_cache_key(prefix: str) -> str:
    return API_KEY_CACHE % prefix


def api_keys_forget(*, prefixes: list[str]) -> None:
    """Drop cached key rows, so the next request reads the key from the database."""
    cache.delete_many([api_key_cache_key(prefix) for prefix in prefixes])


def partner_keys_forget(*, partner: Partner) -> None:
    """A partner's change (deactivated, renamed) reaches each of its keys at once."""
    api_keys_forget(prefixes=list(partner.api_keys.values_list("prefix", flat=True)))


def api_key_touch(*, api_key: ApiKey) -> bool:
    """Record use, at most once a minute per key; whether it wrote (the cached row is then
    stale and is stored again by the caller). Never moves ``last_used_at`` back."""
    now = timezone.now()
    last = api_key.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_RESOLUTION_SECONDS:
        return False
    recent = now - dt.timedelta(seconds=LAST_USED_RESOLUTION_SECONDS)
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=recent)
    ).update(last_used_at=now)
    api_key.last_used_at = now
    return True


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if not api_key.revoked:
        api_key.revoked = True
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked", "revoked_at"])
    api_keys_forget(prefixes=[api_key.prefix])
    return api_key


@dataclass(frozen=True)
class TipResult:
    """``tip`` is the first of ``tips``: every tip the text made or found, in text order."""

    tip: Tip
    created: bool
    tips: tuple[Tip, ...] = ()

    @property
    def claim(self) -> Claim:
        return self.tip.claim


def tip_submit(
    *, partner: Partner, text: str, url: str = "", context: str = "", claimant: str = ""
) -> TipResult:
    """Record a partner's tip as candidate claims, or return the partner's open duplicates.

    1. read the text as a small article (``text_claim_candidates``): a text of several
       sentences gives a claim per sentence worth checking; a text of one sentence, or one
       with no sentence worth it, is one claim as sent;
    2. lock the partner row, so two identical tips sent at once make one claim each;
    3. for each claim, look for the partner's own open tip whose claim has the same
       fingerprint (case, spacing and end punctuation do not matter) and reuse it;
    4. otherwise create the ``Claim`` (origin partner, state candidate) and its ``Tip``
       (for a longer text: with the text, and ``part_of`` the first tip made from it);
       matching follows after commit (``claims_created``);
    5. group each new claim at once (``coverage.grouping.claim_group``), so a tip that
       repeats a published claim is answered with its fact-check in the response. Should
       grouping fail here, the tip stands and the queued task (or its sweep) groups it later.
    """
    text = text.strip()
    sentences = text_claim_candidates(text)
    wanted: list[tuple[str, dict | None]] = [(c.text, candidate_analysis(c)) for c in sentences]
    wanted = wanted or [(text, None)]
    fingerprints = [claim_fingerprint(sentence) for sentence, _ in wanted]
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        open_tips = _open_tips(partner, fingerprints)
        tips: dict[str, Tip] = {}
        made: list[Tip] = []
        for (sentence, analysis), fingerprint in zip(wanted, fingerprints, strict=True):
            if fingerprint in tips:
                continue
            tip = open_tips.get(fingerprint)
            if tip is None:
                claim = claim_add(
                    text=sentence,
                    origin=ClaimOrigin.PARTNER,
                    claimant=claimant,
                    appearance_url=url,
                    analysis=analysis,
                )
                tip = Tip.objects.create(
                    claim=claim, partner=partner, context=context.strip(), sent_text=text if sentences else ""
                )
                made.append(tip)
            tips[fingerprint] = tip
        if sentences and made:
            Tip.objects.filter(pk__in=[tip.pk for tip in made]).update(part_of=made[0])
            for tip in made:
                tip.part_of = made[0]
    for tip in made:
        try:
            claim_group(claim_id=tip.claim_id)
        except Exception:  # noqa: BLE001 - the tip is saved; the task and the sweep retry grouping
            logger.exception("Grouping of tip %s failed; the grouping task will retry", tip.claim_id)
    found = tuple(tips.values())
    return TipResult(tip=found[0], created=bool(made), tips=found)


def _open_tips(partner: Partner, fingerprints: list[str]) -> dict[str, Tip]:
    """The partner's earliest open tip for each of these claim fingerprints."""
    found: dict[str, Tip] = {}
    rows = (
        Tip.objects.filter(
            partner=partner,
            claim__origin=ClaimOrigin.PARTNER,
            claim__fingerprint__in=fingerprints,
            claim__state__in=ClaimState.OPEN,
        )
        .select_related("claim")
        .order_by("submitted_at", "id")
    )
    for tip in rows:
        found.setdefault(tip.claim.fingerprint, tip)
    return found

"""Every claim's fingerprint by one algorithm (``factcheck.services.claims.claim_fingerprint``).

Extracted claims had a key of their lower-cased, space-collapsed sentence (32 hex digits),
tips a key that also ignored Unicode form and end punctuation (64). The function is copied
here as it is today, so this migration means the same whatever the code becomes. Two
extracted sentences of one article that only the new key calls the same (a question mark
instead of a full stop) would break the one-claim-per-sentence constraint: the later one
keeps its old key, and the next extraction of that article reconciles it.
"""

import hashlib
import re
import unicodedata

from django.db import migrations

_SPACE = re.compile(r"\s+")


def fingerprint(text: str) -> str:
    normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip().rstrip(".!?;: ")
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


def recompute(apps, schema_editor):
    Claim = apps.get_model("factcheck", "Claim")
    taken: set[tuple[int, str]] = set()
    changed = []
    rows = Claim.objects.order_by("pk").only("pk", "text", "article_id", "origin", "fingerprint")
    for claim in rows.iterator(chunk_size=2000):
        new = fingerprint(claim.text)
        if claim.origin == "extracted" and claim.article_id is not None:
            if (claim.article_id, new) in taken:
                continue
            taken.add((claim.article_id, new))
        if new != claim.fingerprint:
            claim.fingerprint = new
            changed.append(claim)
        if len(changed) >= 2000:
            Claim.objects.bulk_update(changed, ["fingerprint"])
            changed = []
    Claim.objects.bulk_update(changed, ["fingerprint"])


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0011_articleextraction"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]

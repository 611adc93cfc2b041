"""The verdict editor on the claim page: rating, summary and the source list, one form.

The form carries the verdict's ``revision`` (0 when there is none yet); the save goes
through ``factcheck.services.verdicts.verdict_save``, which replaces the source list in the same
transaction and refuses the whole save when someone else saved the verdict in between.
"""

from django import forms

from factcheck import ratings
from factcheck.models import Verdict


class VerdictForm(forms.Form):
    headline = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 70, "placeholder": "The fact-check's public title"}),
    )
    rating = forms.ChoiceField(choices=[("", "— not rated yet —"), *ratings.CHOICES], required=False)
    summary = forms.CharField(
        label="Short answer",
        widget=forms.Textarea(
            attrs={"rows": 3, "cols": 70, "placeholder": "What the evidence shows, in a sentence or more."}
        ),
        required=False,
        max_length=10_000,
    )
    body = forms.CharField(
        label="Explanation",
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "cols": 70,
                "placeholder": "The full explanation, in Markdown: paragraphs, ## headings, - lists, "
                "**bold**, > quotes, [links](https://…).",
            }
        ),
        required=False,
        max_length=100_000,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class SourceForm(forms.Form):
    url = forms.URLField(
        max_length=2000,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "size": 36}),
    )
    title = forms.CharField(max_length=500, required=False, widget=forms.TextInput(attrs={"size": 26}))
    publisher = forms.CharField(max_length=200, required=False, widget=forms.TextInput(attrs={"size": 16}))
    accessed_at = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and (cleaned.get("title") or cleaned.get("publisher")):
            raise forms.ValidationError("A source needs its web address.")
        return cleaned


SourceFormSet = forms.formset_factory(SourceForm, extra=1, can_delete=True, max_num=50, validate_max=True)


def source_rows(formset) -> list[dict]:
    """The sources a valid formset keeps: rows with an address, not marked for removal."""
    fields = ("url", "title", "publisher", "accessed_at")
    return [
        {name: row.get(name) for name in fields}
        for row in formset.cleaned_data
        if row.get("url") and not row.get("DELETE")
    ]


# The verdict form's fields that a transition posted from the claim page may carry.
VERDICT_FIELD_LABELS = {
    "headline": "headline",
    "rating": "rating",
    "summary": "short answer",
    "body": "explanation",
}


def verdict_forms(current: Verdict | None, data=None) -> tuple[VerdictForm, forms.BaseFormSet]:
    """Bound (``data``) or initial forms for ``current`` (``None``: no verdict yet)."""
    initial = {
        "headline": current.headline if current else "",
        "rating": current.rating if current else "",
        "summary": current.summary if current else "",
        "body": current.body if current else "",
        "revision": current.revision if current else 0,
    }
    sources = [
        {"url": s.url, "title": s.title, "publisher": s.publisher, "accessed_at": s.accessed_at}
        for s in (current.sources.all() if current else [])
    ]
    return (
        VerdictForm(data=data, initial=initial, prefix="verdict"),
        SourceFormSet(data=data, initial=sources, prefix="sources"),
    )

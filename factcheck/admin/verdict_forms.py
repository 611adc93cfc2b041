"""The verdict editor on the claim page: rating, summary, the sources to remove and to add.

The form carries the verdict's ``revision`` (0 when there is none yet); the save goes
through ``factcheck.verdicts``, which refuses it when someone else saved in between.
Existing sources are removed or kept, not edited in place: that is what the service offers.
"""

from django import forms

from factcheck import ratings
from factcheck.models import Verdict


class VerdictForm(forms.Form):
    rating = forms.ChoiceField(choices=[("", "— not rated yet —"), *ratings.CHOICES], required=False)
    summary = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 4, "cols": 70, "placeholder": "What the evidence shows, in a sentence or more."}
        ),
        required=False,
        max_length=10_000,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class NewSourceForm(forms.Form):
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


NewSourceFormSet = forms.formset_factory(NewSourceForm, extra=2, max_num=20, validate_max=True)


def verdict_forms(current: Verdict | None, data=None) -> tuple[VerdictForm, forms.BaseFormSet]:
    """Bound (``data``) or initial forms for ``current`` (``None``: no verdict yet)."""
    initial = {
        "rating": current.rating if current else "",
        "summary": current.summary if current else "",
        "revision": current.revision if current else 0,
    }
    return VerdictForm(data=data, initial=initial, prefix="verdict"), NewSourceFormSet(
        data=data, prefix="sources"
    )

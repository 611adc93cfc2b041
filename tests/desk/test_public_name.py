"""Every desk user sets the name on their own bylines; readers see it, escaped."""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from factcheck.models import DeskProfile, public_name
from factcheck.services.profiles import (
    DISPLAY_NAME_MAX_CHARS,
    ProfileEditRefused,
    display_name_clean,
    profile_set_display_name,
)
from public.claimreview import factcheck_slug
from tests.factories import EditorFactory, FactCheckerFactory, ReporterFactory, UserFactory
from tests.public.conftest import build_factcheck

pytestmark = pytest.mark.django_db
PAGE = reverse("admin:factcheck_claim_public_name")
ROLES = {"Reporter": ReporterFactory, "Fact-checker": FactCheckerFactory, "Editor": EditorFactory}


def _desk_user(role="Fact-checker"):
    return ROLES[role](first_name="Fiona", last_name="Checker")


def _public_page(client, claim):
    return client.get(reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)}))


def _byline(response) -> str:
    return lxml.html.fromstring(response.content).find(".//p[@class='byline']").text_content()


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", ROLES)
def test_every_desk_role_has_the_page_and_sees_its_byline(client, role):
    client.force_login(_desk_user(role))
    response = client.get(PAGE)
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content)
    assert tree.find(".//p[@id='desk-byline-preview']").text_content().endswith("By Fiona Checker")
    assert tree.find(".//input[@name='display_name']").get("value") is None
    assert tree.find(".//input[@name='display_name']").get("maxlength") == str(DISPLAY_NAME_MAX_CHARS)


@pytest.mark.parametrize("role", ROLES)
def test_every_desk_role_saves_its_own_name(client, role):
    user = _desk_user(role)
    client.force_login(user)
    response = client.post(PAGE, {"display_name": "  F. Checker  "}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert DeskProfile.objects.get(user=user).display_name == "F. Checker"
    assert "Saved. Your bylines now read “By F. Checker”." in _messages(response)
    tree = lxml.html.fromstring(response.content)
    assert tree.find(".//input[@name='display_name']").get("value") == "F. Checker"
    assert tree.find(".//span[@class='desk-byline-name']").text == "F. Checker"


def test_the_page_is_linked_from_the_desk_tools(client, fact_checker):
    client.force_login(fact_checker)
    tree = lxml.html.fromstring(client.get(reverse("admin:factcheck_claim_dashboard")).content)
    assert PAGE in [a.get("href") for a in tree.iterfind(".//div[@id='user-tools']//a")]


def test_saving_changes_the_byline_on_the_published_page_escaped(client):
    author, reviewer = _desk_user("Fact-checker"), EditorFactory(first_name="Edward", last_name="Editor")
    claim = build_factcheck()
    claim.verdicts.update(author=author, reviewer=reviewer)
    assert "By Fiona Checker, reviewed by Edward Editor" in _byline(_public_page(client, claim))
    hostile = "Fi <script>alert('x')</script> & Co"
    client.force_login(author)
    client.post(PAGE, {"display_name": hostile})
    client.logout()
    response = _public_page(client, claim)
    assert f"By {hostile}, reviewed by Edward Editor" in _byline(response)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "Fi &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html
    # The desk page shows it escaped too, in the message and the preview.
    client.force_login(author)
    desk = client.get(PAGE).content.decode()
    assert "<script>alert" not in desk and "Fi &lt;script&gt;" in desk


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0 \u3000"])
def test_a_blank_name_falls_back_to_the_full_name(client, fact_checker, blank):
    fact_checker.first_name, fact_checker.last_name = "Fiona", "Checker"
    fact_checker.save()
    DeskProfile.objects.create(user=fact_checker, display_name="Fi")
    client.force_login(fact_checker)
    response = client.post(PAGE, {"display_name": blank}, follow=True)
    assert DeskProfile.objects.get(user=fact_checker).display_name == ""
    assert "Saved. Your bylines now read “By Fiona Checker”." in _messages(response)


def test_without_a_full_name_the_page_says_the_username_is_used(client):
    user = FactCheckerFactory(username="fchecker")
    client.force_login(user)
    html = client.get(PAGE).content.decode()
    assert 'By <span class="desk-byline-name">fchecker</span>' in html
    assert "your username (fchecker) is used" in html


def test_a_name_too_long_is_refused_with_a_message_naming_the_field(client, fact_checker):
    DeskProfile.objects.create(user=fact_checker, display_name="Fi")
    client.force_login(fact_checker)
    response = client.post(PAGE, {"display_name": "x" * (DISPLAY_NAME_MAX_CHARS + 1)})
    assert response.status_code == 200
    reason = f"The public name can be at most {DISPLAY_NAME_MAX_CHARS} characters; this one has 151."
    assert _messages(response) == [f"Your public name was not saved: {reason}"]
    assert response.context["form"].errors == {"display_name": [reason]}
    tree = lxml.html.fromstring(response.content)
    assert tree.find(".//input[@name='display_name']").get("value") == "x" * 151  # what was typed stays
    assert tree.find(".//span[@class='desk-byline-name']").text == "Fi"  # the stored name
    assert DeskProfile.objects.get(user=fact_checker).display_name == "Fi"


@pytest.mark.parametrize("name", ["Fi\nChecker", "Fi\tChecker", "Fi\x00", "\u202eFi", "Fi\u2028Checker"])
def test_control_characters_are_refused(client, fact_checker, name):
    client.force_login(fact_checker)
    response = client.post(PAGE, {"display_name": name})
    assert response.status_code == 200
    (message,) = _messages(response)
    assert message.startswith("Your public name was not saved: ")
    assert "may not contain" in message or "Null characters are not allowed" in message
    assert not DeskProfile.objects.filter(user=fact_checker).exists()


def test_anonymous_is_sent_to_the_login_page():
    anonymous = Client()
    for response in (anonymous.get(PAGE), anonymous.post(PAGE, {"display_name": "Mallory"})):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not DeskProfile.objects.exists()


def test_a_staff_user_without_a_desk_role_is_sent_back_with_a_reason(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(PAGE, {"display_name": "Mallory"}, follow=True)
    assert response.redirect_chain[0] == (reverse("admin:index"), 302)
    assert "Only desk users have a public name." in _messages(response)
    assert not DeskProfile.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(fact_checker):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(fact_checker)
    assert strict.post(PAGE, {"display_name": "Mallory"}).status_code == 403
    assert not DeskProfile.objects.exists()
    strict.get(PAGE)
    token = strict.cookies["csrftoken"].value
    assert strict.post(PAGE, {"display_name": "Fiona", "csrfmiddlewaretoken": token}).status_code == 302
    assert DeskProfile.objects.get(user=fact_checker).display_name == "Fiona"


def test_one_user_cannot_set_another_users_name(client, fact_checker, editor):
    client.force_login(fact_checker)
    client.post(PAGE, {"display_name": "Fiona", "user": editor.pk})
    assert list(DeskProfile.objects.values_list("user_id", "display_name")) == [(fact_checker.pk, "Fiona")]


@pytest.mark.parametrize("with_profile", [False, True])
def test_the_page_costs_a_bounded_number_of_queries(
    client, fact_checker, with_profile, django_assert_max_num_queries
):
    if with_profile:
        DeskProfile.objects.create(user=fact_checker, display_name="Fi")
    client.force_login(fact_checker)
    client.get(PAGE)  # warm the session and permission caches
    with django_assert_max_num_queries(8) as get:
        assert client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(12) as post:
        assert client.post(PAGE, {"display_name": "Fiona"}).status_code == 302
    print(f"public-name page: GET {len(get.captured_queries)}, POST {len(post.captured_queries)} queries")


# --- the service ------------------------------------------------------------------------------


def test_display_name_clean_strips_joins_spaces_and_normalises():
    assert display_name_clean("  Fiona   Checker ") == "Fiona Checker"
    assert display_name_clean("Zoe\u0308") == "Zoë"  # NFC: one code point
    assert display_name_clean("Zoë 👩🏽‍💻 Fernández") == "Zoë 👩🏽‍💻 Fernández"  # joiners are kept
    assert display_name_clean(" \u00a0") == ""
    assert display_name_clean("x" * DISPLAY_NAME_MAX_CHARS) == "x" * DISPLAY_NAME_MAX_CHARS


def test_profile_set_display_name_creates_then_updates_one_profile(fact_checker):
    profile = profile_set_display_name(user=fact_checker, name="Fi")
    assert public_name(fact_checker) == "Fi"
    again = profile_set_display_name(user=fact_checker, name="Fiona C.")
    assert again.pk == profile.pk and DeskProfile.objects.get().display_name == "Fiona C."
    with pytest.raises(ProfileEditRefused):
        profile_set_display_name(user=fact_checker, name="x" * (DISPLAY_NAME_MAX_CHARS + 1))
    assert DeskProfile.objects.get().display_name == "Fiona C."

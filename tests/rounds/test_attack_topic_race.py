"""Two officers name the same new topic on their agendas at the same moment: the second save
finds the topic the first made, rather than failing on the topic's unique name or slug."""

from unittest import mock

import pytest

from rounds import forms
from rounds.models import Topic

pytestmark = pytest.mark.django_db


def _saved_after_we_looked(*lookups):
    """Topic.objects.filter, blind on its first call by each of `lookups`: the topic another
    officer saves after this save looked for it, and before it creates its own."""
    real_filter = Topic.objects.filter
    blind = set(lookups)

    def filter_(*args, **kwargs):
        lookup = next(iter(kwargs), None)
        if lookup in blind:
            blind.discard(lookup)
            return Topic.objects.none()
        return real_filter(*args, **kwargs)

    return mock.patch.object(Topic.objects, "filter", side_effect=filter_)


def test_a_topic_named_meanwhile_is_the_one_taken(make_user):
    officer = make_user("olivia", "officer")
    theirs = Topic.objects.create(name="Legal aid", slug="legal-aid")
    with _saved_after_we_looked("name__iexact", "slug"):
        topic = forms.topic_named("legal aid", user=officer)
    assert topic == theirs
    assert Topic.objects.filter(name__iexact="legal aid").count() == 1


def test_a_slug_taken_meanwhile_gives_the_next_one(make_user):
    officer = make_user("olivia", "officer")
    Topic.objects.create(name="Legal-aid", slug="legal-aid")
    with _saved_after_we_looked("slug"):
        topic = forms.topic_named("Legal aid", user=officer)
    assert (topic.name, topic.slug) == ("Legal aid", "legal-aid-2")

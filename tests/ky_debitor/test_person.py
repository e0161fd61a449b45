"""``person(request)``: a write acts for a logged-in person or not at all."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from ky_debitor.adgang import person


def test_a_request_without_a_person_is_refused_in_danish():
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied, match="logget ind"):
        person(request)


def test_a_logged_in_person_is_who_the_request_acts_for(alice):
    request = RequestFactory().post("/")
    request.user = alice
    assert person(request) == alice

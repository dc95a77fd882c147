import pytest
from django.test import RequestFactory

from xingyao.core import ratelimit


def test_the_address_is_remote_addr_when_no_proxy_is_trusted(settings):
    settings.PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert ratelimit.client_address(request) == "10.1.1.1"


def test_behind_one_proxy_the_address_is_the_one_it_saw_not_what_the_client_wrote(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert ratelimit.client_address(request) == "203.0.113.7"


@pytest.mark.django_db
def test_a_key_is_refused_after_its_limit_and_others_are_not():
    assert not any(ratelimit.hit("test:a", 3, 60) for _ in range(3))
    assert ratelimit.hit("test:a", 3, 60)
    assert not ratelimit.hit("test:b", 3, 60)

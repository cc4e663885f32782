"""Pages about the whole site."""

import pytest


@pytest.mark.django_db
def test_the_data_use_policy_says_what_the_data_may_not_be_used_for(anonymous):
    html = anonymous.get("/about/data-use/").content.decode()
    assert "may not be used to identify, track, monitor or manage workers" in html
    assert "withdraw" in html.lower()

from hypothesis import HealthCheck, settings


def test_property_tests_run_without_a_deadline_or_a_speed_check():
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check


def test_a_test_with_its_own_settings_keeps_the_profile_s_deadline():
    # What `@settings(max_examples=500)` on a test builds: it inherits the unspecified values from the profile.
    assert settings(max_examples=500).deadline is None

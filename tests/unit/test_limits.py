"""limits.py: ranges, patterns and enums come from botocore's SageMaker model; tokens are skipped."""

from __future__ import annotations

import re

import pytest
from aws_cdk import Token

from sagemaker_studio_cdk import StudioConfigError, limits
from sagemaker_studio_cdk.errors import collect
from sagemaker_studio_cdk.limits import Range


def message(text: str) -> str:
    return re.escape(text)


# --- ranges from the service model ----------------------------------------------------------


def test_ebs_range_is_5_to_16384_gb() -> None:
    assert limits.ebs_range() == Range(5, 16384)


def test_idle_range_is_60_to_525600_minutes() -> None:
    assert limits.idle_range() == Range(60, 525600)


def test_posix_ranges_come_from_the_model() -> None:
    assert (limits.shape_range("Uid"), limits.shape_range("Gid")) == (Range(10000, 4000000), Range(1001, 4000000))


def test_range_prints_as_minimum_dash_maximum() -> None:
    assert str(Range(5, 16384)) == "5-16384"


def test_instance_types_include_t3_medium() -> None:
    assert "ml.t3.medium" in limits.instance_types()


def test_instance_types_exclude_system() -> None:
    assert "system" not in limits.instance_types()


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "a-b", "a--b", "A1", "a" * 63])
def test_check_name_accepts(name: str) -> None:
    limits.check_name("name", name)


@pytest.mark.parametrize("name", ["-a", "a-", "a_b", "a b", "", "a" * 64])
def test_fails_when_name_is_not_a_studio_name(name: str) -> None:
    with pytest.raises(StudioConfigError, match=message(f"name: got {name!r}; 1-63 letters and digits")):
        limits.check_name("name", name)


@pytest.mark.parametrize("shape", ["DomainName", "UserProfileName", "SpaceName"])
def test_check_name_uses_each_shape(shape: str) -> None:
    with pytest.raises(StudioConfigError, match=message("pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")):
        limits.check_name("name", "a_b", shape)


def test_check_name_skips_tokens() -> None:
    limits.check_name("name", Token.as_string({"Ref": "Name"}))


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [5, 16384, 100.0, None])
def test_check_in_range_accepts(value: int | float | None) -> None:
    limits.check_in_range("size", value, Range(5, 16384), "GB")


@pytest.mark.parametrize("value", [4, 16385, -1])
def test_fails_when_number_is_out_of_range(value: int) -> None:
    with pytest.raises(StudioConfigError, match=message(f"size: got {value}; 5-16384 GB")):
        limits.check_in_range("size", value, Range(5, 16384), "GB")


@pytest.mark.parametrize("value", [5.5, True, "10"])
def test_fails_when_number_is_not_whole(value: object) -> None:
    with pytest.raises(StudioConfigError, match=message(f"size: got {value!r}; a whole number of GB, 5-16384")):
        limits.check_in_range("size", value, Range(5, 16384), "GB")  # type: ignore[arg-type]


def test_check_in_range_skips_number_tokens() -> None:
    limits.check_in_range("size", Token.as_number({"Ref": "Size"}), Range(5, 16384), "GB")


def test_check_not_above_accepts_equal_values() -> None:
    limits.check_not_above("default", 100, "max", 100, "GB")


def test_fails_when_value_is_above_its_ceiling() -> None:
    with pytest.raises(StudioConfigError, match=message("default: got 101; at most max (100 GB)")):
        limits.check_not_above("default", 101, "max", 100, "GB")


def test_check_not_above_skips_tokens() -> None:
    limits.check_not_above("default", Token.as_number({"Ref": "Size"}), "max", 100, "GB")
    limits.check_not_above("default", 200, "max", Token.as_number({"Ref": "Max"}), "GB")


def test_fails_when_posix_ids_are_out_of_range() -> None:
    with pytest.raises(
        StudioConfigError, match=r"(?s)2 problems:.*posix\.uid: got 1; 10000-4000000.*posix\.gid: got 1; 1001-4000000"
    ):
        limits.check_posix("posix", 1, 1)


# --- instance types, tags, patterns, uniqueness --------------------------------------------


def test_check_instance_type_accepts_an_app_instance_type() -> None:
    limits.check_instance_type("type", "ml.m5.large")


def test_fails_when_instance_type_is_unknown() -> None:
    with pytest.raises(StudioConfigError, match=message("type: got 'ml.bogus.large'; an app instance type such as ml.t3.medium")):
        limits.check_instance_type("type", "ml.bogus.large")


def test_fails_when_instance_type_is_system() -> None:
    with pytest.raises(StudioConfigError, match=message("type: got 'system'")):
        limits.check_instance_type("type", "system")


def test_check_tags_accepts_ordinary_tags() -> None:
    limits.check_tags("tags", {"team": "ml", "cost-center": "42", "owner": "alice@example.com"})


@pytest.mark.parametrize("key", ["aws:team", "AWS:team"])
def test_fails_when_a_tag_key_starts_with_aws(key: str) -> None:
    with pytest.raises(StudioConfigError, match=message(f"tags[{key!r}]: got {key!r}; a key that does not start with 'aws:'")):
        limits.check_tags("tags", {key: "ml"})


def test_fails_when_a_tag_key_is_longer_than_128_characters() -> None:
    with pytest.raises(StudioConfigError, match=message("a tag key: at most 128 characters")):
        limits.check_tags("tags", {"k" * 129: "v"})


def test_fails_when_a_tag_value_has_a_bad_character() -> None:
    with pytest.raises(StudioConfigError, match=message("tags['team']: got 'ml#1'; a tag value: at most 256 characters")):
        limits.check_tags("tags", {"team": "ml#1"})


def test_fails_when_there_are_more_than_50_tags() -> None:
    with pytest.raises(StudioConfigError, match=message("tags: got '51 tags'; at most 50 tags")):
        limits.check_tags("tags", {f"k{i}": "v" for i in range(51)})


def test_fails_when_a_name_is_listed_twice() -> None:
    with pytest.raises(StudioConfigError, match=message("users: got 'alice'; each name once")):
        limits.check_unique("users", ["alice", "bob", "alice"])


def test_check_pattern_skips_none() -> None:
    limits.check_pattern("display_name", None, "NonEmptyString64")


# --- errors ---------------------------------------------------------------------------------


def test_collect_reports_every_failed_check_in_one_error() -> None:
    def fail(field: str) -> None:
        raise StudioConfigError(field, 1, "something else")

    with pytest.raises(StudioConfigError) as caught:
        collect(lambda: fail("a"), lambda: None, lambda: fail("b"))
    assert str(caught.value) == "2 problems:\n  - a: got 1; something else\n  - b: got 1; something else"
    assert [part.field for part in caught.value.parts] == ["a", "b"]


def test_studio_config_error_is_a_value_error() -> None:
    assert issubclass(StudioConfigError, ValueError)

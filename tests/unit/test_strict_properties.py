"""Property tests: generated specs and construct props raise nothing but StudioConfigError, and
every spec they accept synthesizes cfn-lint clean (conftest.py lints every synth, cached by content).

Derandomized and few examples, so the run is cheap and the same every time.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import App
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagemaker_studio_cdk import (
    AppDefaults,
    AppType,
    EbsStorage,
    IdleShutdown,
    PosixUser,
    SpaceSharing,
    StudioConfigError,
    StudioDomain,
    StudioDomainStack,
    parse_spec,
)
from sagemaker_studio_cdk.assembly import load_templates
from sagemaker_studio_cdk.cfn_schema import RESOURCE_TYPES
from sagemaker_studio_cdk.stacks import ExistingVpc
from tests.support import ENV, new_app, new_stack, template_of

VPC = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"))

CHEAP = settings(max_examples=40, derandomize=True, deadline=None, database=None)
"""For properties that stop before synth."""
SYNTH = settings(max_examples=3, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
"""For properties that synthesize (and lint) what they accept."""

NAMES = st.sampled_from(["alice", "Alice", "bob", "team", "a-b", "ab", "", "bad_name", "-x", "x" * 64, "lab2"])
TEXT = st.text(max_size=6)
NUMBERS = st.one_of(
    st.sampled_from([5, 10, 60, 100, 120, 480]),
    st.integers(min_value=-5, max_value=20_000),
    st.floats(allow_nan=True, allow_infinity=True),
)
TAG_KEYS = st.one_of(st.sampled_from(["team", "aws:owner", "", "k" * 129, "cost center"]), TEXT)
TAG_VALUES = st.one_of(st.sampled_from(["ml", "", "v" * 129, "a/b"]), TEXT)
TAGS = st.dictionaries(TAG_KEYS, TAG_VALUES, max_size=3)
ANYTHING = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT, st.lists(TEXT, max_size=2))


@st.composite
def raw_specs(draw: st.DrawFn, valid_bias: bool = False) -> dict[str, Any]:
    """A spec as YAML would give it: mostly plausible, with wrong values and wrong types mixed in."""
    names = st.sampled_from(["alice", "bob", "carol"]) if valid_bias else NAMES
    numbers = st.sampled_from([5, 10, 60, 100, 120]) if valid_bias else NUMBERS
    tags = st.dictionaries(st.sampled_from(["team", "cost"]), st.sampled_from(["ml", "a/b"]), max_size=2) if valid_bias else TAGS
    domain: dict[str, Any] = {"name": draw(st.sampled_from(["research"]) if valid_bias else NAMES)}
    if draw(st.booleans()):
        sizes = [draw(numbers), draw(numbers)]
        domain["ebs"] = dict(zip(("default_gb", "max_gb"), sorted(sizes) if valid_bias else sizes, strict=True))
    if draw(st.booleans()):
        domain["tags"] = draw(tags)
    user_list = st.lists(names, max_size=3, unique=True) if valid_bias else st.lists(names, max_size=3)
    users = [{"name": name, **({"tags": draw(tags)} if draw(st.booleans()) else {})} for name in draw(user_list)]
    user_names = [u["name"] for u in users]
    spaces = []
    space_names = (
        st.lists(st.sampled_from(["team", "lab", "notes"]), max_size=3, unique=True)
        if valid_bias
        else st.lists(NAMES, max_size=3)
    )
    for space_name in draw(space_names):
        space: dict[str, Any] = {"name": space_name}
        sharings = (["Shared", "Private"] if user_names else ["Shared"]) if valid_bias else ["Shared", "Private", "bogus", 3]
        sharing = draw(st.sampled_from(sharings))
        space["sharing"] = sharing
        if sharing == "Private":
            space["owner"] = draw(st.sampled_from(user_names) if user_names and valid_bias else st.one_of(names, st.none()))
        if draw(st.booleans()):
            space["ebs_gb"] = draw(numbers)
        if draw(st.booleans()):
            space["idle_timeout_minutes"] = draw(st.sampled_from([60, 120]) if valid_bias else numbers)
        if draw(st.booleans()):
            space["tags"] = draw(tags)
        if not valid_bias and draw(st.booleans()):
            space[draw(st.sampled_from(["display_name", "instance_type", "image", "app_type"]))] = draw(ANYTHING)
        spaces.append(space)
    raw: dict[str, Any] = {"domain": domain, "users": users, "spaces": spaces}
    if not valid_bias and draw(st.booleans()):
        raw[draw(st.sampled_from(["domain", "users", "spaces", "region"]))] = draw(ANYTHING)
    return raw


@CHEAP
@given(raw_specs())
def test_parsing_a_generated_spec_raises_only_studio_config_errors(raw: dict[str, Any]) -> None:
    try:
        parse_spec(raw)
    except StudioConfigError:
        pass


@SYNTH
@given(st.one_of(raw_specs(valid_bias=True), raw_specs()))
def test_every_accepted_spec_synthesizes_lint_clean(raw: dict[str, Any]) -> None:
    try:
        spec = parse_spec(raw)
        app: App = new_app()
        StudioDomainStack(app, "Studio", spec=spec, vpc=VPC, env=ENV)
    except StudioConfigError:
        return
    assembly = app.synth()  # conftest.py lints every template of the assembly
    emitted = {r["Type"] for t in load_templates(assembly.directory) for r in t.template.get("Resources", {}).values()}
    assert emitted - {"AWS::CDK::Metadata"} <= set(RESOURCE_TYPES), "the vendored schema snapshot lacks a type"


def test_generated_space_props_raise_only_studio_config_errors_and_accepted_ones_lint_clean() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    owner = domain.add_user("owner")
    counter = iter(range(10_000))

    @CHEAP
    @given(
        ebs=st.one_of(st.none(), NUMBERS),
        idle=st.one_of(st.none(), NUMBERS),
        tags=st.one_of(st.none(), TAGS),
        display=st.one_of(st.none(), TEXT, st.sampled_from(["x" * 65, " "])),
        sharing=st.sampled_from([SpaceSharing.SHARED, SpaceSharing.PRIVATE, "Private"]),
        app_type=st.sampled_from([AppType.JUPYTER_LAB, AppType.CODE_EDITOR, "JupyterLab"]),
        instance=st.one_of(st.none(), st.sampled_from(["ml.t3.medium", "ml.bogus", ""]), ANYTHING),
    )
    def check(ebs: Any, idle: Any, tags: Any, display: Any, sharing: Any, app_type: Any, instance: Any) -> None:
        props: dict[str, Any] = {
            "ebs_size_gb": ebs,
            "idle_timeout_minutes": idle,
            "tags": tags,
            "display_name": display,
            "sharing": sharing,
            "app_type": app_type,
            "instance_type": instance,
        }
        if sharing is SpaceSharing.PRIVATE:
            props["owner"] = owner
        try:
            domain.add_space(f"s{next(counter)}", **props)
        except StudioConfigError:
            pass

    check()
    template_of(stack)  # the jsii kernel survived every refusal, and every accepted space synthesizes lint clean


def test_generated_user_props_raise_only_studio_config_errors_and_accepted_ones_lint_clean() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    instance_types = st.sampled_from(["ml.t3.medium", "ml.m5.large", "ml.g7.2xlarge", "ml.bogus", "", 5])

    @CHEAP
    @given(
        name=st.one_of(NAMES, TEXT, st.integers()),
        ebs=st.one_of(st.none(), st.builds(EbsStorage, default_gb=NUMBERS, max_gb=NUMBERS), ANYTHING),
        idle=st.one_of(st.none(), st.builds(IdleShutdown, timeout_minutes=NUMBERS), ANYTHING),
        apps=st.one_of(st.none(), st.builds(AppDefaults, jupyter_lab_instance_type=instance_types)),
        posix=st.one_of(st.none(), st.builds(PosixUser, uid=NUMBERS, gid=NUMBERS)),
        tags=st.one_of(st.none(), TAGS),
        sso=st.one_of(st.none(), TEXT),
    )
    def check(name: Any, ebs: Any, idle: Any, apps: Any, posix: Any, tags: Any, sso: Any) -> None:
        try:
            domain.add_user(name, ebs=ebs, idle_shutdown=idle, app_defaults=apps, posix_user=posix, tags=tags, sso_user_name=sso)
        except StudioConfigError:
            pass

    check()
    template_of(stack)  # every accepted profile synthesizes, cfn-lint clean

"""Several domains in one spec file (``domains:``), the names they may not share, a users file
(``users_file``) for thousands of SSO users, and one execution role and data prefix per domain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from sagemaker_studio_cdk import StudioConfigError, StudioDomain, load_spec
from sagemaker_studio_cdk.spec_domains import domain_stack_id, load_specs, network_stack_id
from tests.several_domains import SPEC as TWO_DOMAINS
from tests.support import ROOT, new_stack


def write(directory: Path, document: Any, name: str = "studio.yaml") -> Path:
    path = directory / name
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False))
    return path


def domain(name: str, **more: Any) -> dict[str, Any]:
    return {"domain": {"name": name}, **more}


# -- shape ----------------------------------------------------------------------------------------


def test_a_single_domain_file_reads_as_before() -> None:
    (spec,) = load_specs(ROOT / "studio.yaml")
    assert spec == load_spec(ROOT / "studio.yaml")
    assert domain_stack_id(spec, [spec]) == "StudioDomain" and network_stack_id(spec, [spec]) == "StudioNetwork"


def test_several_domains_each_with_their_own_users_and_stack_ids() -> None:
    specs = load_specs(TWO_DOMAINS)
    assert [s.domain.name for s in specs] == ["dev", "prod"]
    assert {s.region for s in specs} == {"us-east-1"}  # the file's region is each domain's default
    assert [[u.name for u in s.users] for s in specs] == [["alice", "bob"], ["alice", "bob"]]
    assert [domain_stack_id(s, specs) for s in specs] == ["StudioDomain-dev", "StudioDomain-prod"]
    assert {network_stack_id(s, specs) for s in specs} == {"StudioNetwork"}


def test_load_spec_refuses_a_file_of_several_domains() -> None:
    with pytest.raises(StudioConfigError, match=r"studio.yaml:6: domains.*load_specs"):
        load_spec(TWO_DOMAINS)


def test_a_domain_of_its_own_file_and_regions_of_its_own(tmp_path: Path) -> None:
    write(tmp_path, {"region": "eu-west-1", **domain("prod")}, "prod.yaml")
    path = write(tmp_path, {"domains": [{"region": "us-east-1", **domain("dev")}, {"spec_file": "prod.yaml"}]})
    specs = load_specs(path)
    assert [(s.domain.name, s.region) for s in specs] == [("dev", "us-east-1"), ("prod", "eu-west-1")]
    assert [network_stack_id(s, specs) for s in specs] == ["StudioNetwork-us-east-1", "StudioNetwork-eu-west-1"]


def test_an_error_in_the_second_domain_names_its_line(tmp_path: Path) -> None:
    text = "domains:\n  - domain: {name: dev}\n  - domain: {name: prod}\n    users:\n      - name: Bad_Name\n"
    with pytest.raises(StudioConfigError, match=r"studio.yaml:5: users.0.name"):
        load_specs(write(tmp_path, text))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"domains": [], "region": "us-east-1"}, r"studio.yaml:1: domains.*at least one domain"),
        ({"domains": [domain("dev")], "users": []}, r"studio.yaml:\d: users.*only region and domains"),
        ({"domains": [{"spec_file": "x.yaml", "users": []}]}, r"spec_file \(and stack\) alone"),
    ],
)
def test_the_shape_of_a_file_of_several_domains(tmp_path: Path, document: dict[str, Any], message: str) -> None:
    with pytest.raises(StudioConfigError, match=message):
        load_specs(write(tmp_path, document))


# -- names unique in the account ----------------------------------------------------------------


IMAGE = {"repository": "team", "tag_or_digest": "v1"}


@pytest.mark.parametrize(
    ("dev", "prod", "message"),
    [
        ({}, {}, r"studio.yaml:6: domain DEV: domain.name: got 'DEV'; a domain name .* domain dev uses it at .*studio.yaml:4"),
        (
            {"custom_images": [{"name": "team", **IMAGE}]},
            {"custom_images": [{"name": "team", **IMAGE}]},
            r"domain prod: custom_images\[0\].name: got 'team'; a SageMaker image name of its own: domain dev uses it",
        ),
        (
            {"custom_images": [{"name": "team-v1", **IMAGE}]},
            {"custom_images": [{"name": "team.v1", **IMAGE}]},
            r"got 'team-v1'; an app image config name \(team-v1, made of the image's\) of its own",
        ),
        (
            {"mlflow": {"tracking_servers": [{"name": "tracking"}]}},
            {"mlflow": {"tracking_servers": [{"name": "tracking"}]}},
            r"mlflow.tracking_servers\[0\].name: got 'tracking'; an MLflow tracking server name",
        ),
        (
            {"feature_store": {"prefix": "team"}},
            {"feature_store": {"prefix": "team-prod"}},
            r"feature_store.prefix: got 'team-prod'; a feature group prefix \(not overlapping",
        ),
    ],
)
def test_names_two_domains_may_not_share(tmp_path: Path, dev: dict[str, Any], prod: dict[str, Any], message: str) -> None:
    second = "DEV" if not dev else "prod"
    path = write(tmp_path, {"region": "us-east-1", "domains": [domain("dev", **dev), domain(second, **prod)]})
    with pytest.raises(StudioConfigError, match=message):
        load_specs(path)


def test_regional_names_may_repeat_in_another_region(tmp_path: Path) -> None:
    images = {"custom_images": [{"name": "team", **IMAGE}]}
    path = write(
        tmp_path,
        {"domains": [{"region": "us-east-1", **domain("dev", **images)}, {"region": "eu-west-1", **domain("prod", **images)}]},
    )
    assert len(load_specs(path)) == 2


def test_every_domain_names_a_region_or_none_does(tmp_path: Path) -> None:
    path = write(tmp_path, {"domains": [{"region": "us-east-1", **domain("dev")}, domain("prod")]})
    with pytest.raises(StudioConfigError, match="domain prod: region.*for every domain, or for none"):
        load_specs(path)


# -- users_file ---------------------------------------------------------------------------------


def users(tmp_path: Path, csv: str, **more: Any) -> Path:
    (tmp_path / "users.csv").write_text(csv)
    return write(tmp_path, {"domain": {"name": "prod", "auth_mode": "SSO"}, "users_file": "users.csv", **more})


def test_a_users_file_declares_users_with_sso_identities_and_groups(tmp_path: Path) -> None:
    rows = "".join(f"user-{i},user-{i}@example.com{',big' if i % 2 else ''}\n" for i in range(2000))
    spec = load_spec(users(tmp_path, "# from IAM Identity Center\nname,sso_user_name,group\n\n" + rows))
    assert len(spec.users) == 2000
    assert (spec.users[1].name, spec.users[1].sso_user_name, spec.users[1].group) == ("user-1", "user-1@example.com", "big")
    assert spec.users[0].group is None  # no group: placed by the library
    assert spec.location("users", 1) == f"{tmp_path / 'users.csv'}:5"


def test_users_of_the_spec_and_of_the_file_together(tmp_path: Path) -> None:
    spec = load_spec(
        users(tmp_path, "name,sso_user_name\nbob,bob@example.com\n", users=[{"name": "alice", "sso_user_name": "a@x"}])
    )
    assert [u.name for u in spec.users] == ["alice", "bob"]


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        (
            "name,sso_user_name\nalice,a@x\nAlice,b@x\n",
            r"users.csv:3: name: got 'Alice'; a profile name not already given \(it is at .*users.csv:2\)",
        ),
        (
            "name,sso_user_name\nalice,a@x\nbob,a@x\n",
            r"users.csv:3: sso_user_name: got 'a@x'; one profile per IAM Identity Center user.*users.csv:2",
        ),
        ("name,sso_user_name\nbad_name,a@x\n", r"users.csv:2: name: got 'bad_name'"),
        ("name,sso_user_name\nalice,a@x,extra\n", r"users.csv:2: users.csv: got 'alice,a@x,extra'; at most 2 values"),
        ("name,email\nalice,a@x\n", r"users.csv:1: header: got 'name,email'"),
        ("# nothing\n", r"studio.yaml:\d: users_file: got .*a header line"),
    ],
)
def test_users_file_errors_name_file_and_line(tmp_path: Path, csv: str, message: str) -> None:
    with pytest.raises(StudioConfigError, match=message):
        load_spec(users(tmp_path, csv))


def test_a_user_of_the_file_and_of_the_spec_named_twice(tmp_path: Path) -> None:
    path = users(tmp_path, "name,sso_user_name\nalice,b@x\n", users=[{"name": "alice", "sso_user_name": "a@x"}])
    with pytest.raises(StudioConfigError, match=r"users.csv:2: name: got 'alice'; .*studio.yaml:\d"):
        load_spec(path)


def test_a_missing_users_file(tmp_path: Path) -> None:
    path = write(tmp_path, {"domain": {"name": "prod"}, "users_file": "missing.csv"})
    with pytest.raises(StudioConfigError, match=r"studio.yaml:\d: users_file: got .*missing.csv'; a readable users file"):
        load_spec(path)


def test_a_construct_error_of_a_file_user_names_the_files_line(tmp_path: Path) -> None:
    """An IAM domain refuses an SSO identity when the stack is built: the error names users.csv's line."""
    from sagemaker_studio_cdk.stacks.domain_stack import located

    spec = load_spec(users(tmp_path, "name\nalice\nbob\n"))
    with pytest.raises(StudioConfigError, match=r"users.csv:3: users.1: x"), located(spec, "users", 1):
        raise StudioConfigError("x", None, "y")


# -- one execution role and data prefix per domain ----------------------------------------------


def two_domains_with(**second: Any) -> None:
    stack, vpc = new_stack()
    bucket = s3.Bucket(stack, "UserData")
    first = StudioDomain(stack, "Dev", vpc=vpc, domain_name="dev", user_data_bucket=bucket)
    options = {"user_data_bucket": bucket, **second}
    if second.pop("share_role", False):
        options = {"user_data_bucket": bucket, "user_data_prefix": "prod", "execution_role": first.execution_role}
    StudioDomain(stack, "Prod", vpc=vpc, domain_name="prod", **options)


def test_two_domains_may_share_a_bucket_under_prefixes_of_their_own() -> None:
    two_domains_with(user_data_prefix="prod/users")


@pytest.mark.parametrize("prefix", ["users", "users/prod"])
def test_two_domains_may_not_share_a_data_prefix(prefix: str) -> None:
    with pytest.raises(
        StudioConfigError, match=r"user_data_prefix: got .*domain dev \(Test/Dev\) keeps its users' data under 'users'"
    ):
        two_domains_with(user_data_prefix=prefix)


def test_two_domains_with_user_data_may_not_share_an_execution_role() -> None:
    with pytest.raises(StudioConfigError, match=r"execution_role: got 'Test/Prod'; an execution role of this domain alone"):
        two_domains_with(share_role=True)


def test_an_imported_role_counts_as_the_same_role() -> None:
    stack, vpc = new_stack()
    arn = "arn:aws:iam::111122223333:role/studio-apps"
    for name, bucket in (("dev", "dev-data"), ("prod", "prod-data")):
        role = iam.Role.from_role_arn(stack, f"Role-{name}", arn)
        data = s3.Bucket.from_bucket_name(stack, f"Bucket-{name}", bucket)
        if name == "prod":
            with pytest.raises(StudioConfigError, match="execution_role"):
                StudioDomain(stack, name, vpc=vpc, domain_name=name, user_data_bucket=data, execution_role=role)
        else:
            StudioDomain(stack, name, vpc=vpc, domain_name=name, user_data_bucket=data, execution_role=role)


def test_a_domain_keeps_its_stack_when_a_second_domain_is_added(tmp_path: Path) -> None:
    """The domain of an app that had one domain names its stack, so adding a domain moves nothing."""
    write(tmp_path, {**domain("prod"), "users": [{"name": "alice"}]}, "prod.yaml")
    path = write(tmp_path, {"domains": [{"stack": "StudioDomain", **domain("research")}, {"spec_file": "prod.yaml"}]})
    specs = load_specs(path)
    assert [domain_stack_id(s, specs) for s in specs] == ["StudioDomain", "StudioDomain-prod"]


@pytest.mark.parametrize(
    ("stacks", "message"),
    [
        (
            ("StudioDomain-prod", None),
            r"domain prod: stack: got 'StudioDomain-prod'; a stack id of its own \(domain dev has it\)",
        ),
        (("StudioNetwork", None), r"domain dev: stack: got 'StudioNetwork'; a stack id of its own \(the network stack has it\)"),
        (("1-bad", None), r"studio.yaml:2: stack: got '1-bad'; a stack name"),
    ],
)
def test_stack_ids_of_their_own(tmp_path: Path, stacks: tuple[str | None, ...], message: str) -> None:
    entries = [{**({"stack": s} if s else {}), **domain(n)} for s, n in zip(stacks, ("dev", "prod"), strict=True)]
    with pytest.raises(StudioConfigError, match=message):
        load_specs(write(tmp_path, {"domains": entries}))


def test_parse_spec_reads_no_users_file() -> None:
    from sagemaker_studio_cdk import parse_spec

    with pytest.raises(StudioConfigError, match=r"users_file: got 'users.csv'; a spec read by load_spec or load_specs"):
        parse_spec({"domain": {"name": "prod"}, "users_file": "users.csv"})


def test_two_profiles_of_one_sso_identity_in_users() -> None:
    from sagemaker_studio_cdk import parse_spec

    users = [{"name": "alice", "sso_user_name": "a@x"}, {"name": "bob", "sso_user_name": "a@x"}]
    with pytest.raises(StudioConfigError, match=r"users\[\].sso_user_name \(one profile per IAM Identity Center user\)"):
        parse_spec({"domain": {"name": "prod", "auth_mode": "SSO"}, "users": users})


def test_roster_update_records_every_domain_of_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`roster update --spec` with a file of several domains writes the lines of each (the fixture's
    committed roster is what it writes)."""
    from sagemaker_studio_cdk.cli import main

    roster = tmp_path / "studio.roster"
    assert main(["roster", "update", "--spec", str(TWO_DOMAINS), "--roster", str(roster)]) == 0
    assert roster.read_text() == (TWO_DOMAINS.parent / "studio.roster").read_text()
    assert "prod user alice UserGroup-research active 1" in capsys.readouterr().out

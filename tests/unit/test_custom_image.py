"""CustomImage: Image, ImageVersion and AppImageConfig from an ECR image, attached to the lists
Studio starts images from; Code Editor at JupyterLab's level; built-in lifecycle configs and code
repositories."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import CfnParameter, Stack
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from sagemaker_studio_cdk import (
    AppType,
    CustomImage,
    DomainAdminRole,
    ImageAppType,
    ImageFileSystem,
    KernelSpec,
    SpaceSharing,
    StudioConfigError,
    StudioDomain,
    StudioImage,
)
from sagemaker_studio_cdk.constructs.lifecycle_config import LifecycleConfig
from tests.support import new_stack

DIGEST = "sha256:" + "ab" * 32
REPO_URL = "https://github.com/example-org/notebooks.git"


@dataclass
class Built:
    stack: Stack
    template: Template
    lab: CustomImage
    domain: StudioDomain


def _repo(stack: Stack, name: str = "team-images") -> ecr.IRepository:
    return ecr.Repository.from_repository_name(stack, f"Repo-{name}", name)


@pytest.fixture(scope="module")
def built() -> Built:
    stack, vpc = new_stack()
    repo = _repo(stack)
    lab = CustomImage(
        stack,
        "Lab",
        repository=repo,
        tag_or_digest=DIGEST,
        image_name="team-lab",
        entrypoint=["entrypoint-jupyter-server"],
        arguments=["--ServerApp.token="],
        environment={"TEAM": "research"},
    )
    editor = CustomImage(
        stack, "Editor", repository=repo, tag_or_digest="v1.2", image_name="team.editor", app_type=ImageAppType.CODE_EDITOR
    )
    kernels = CustomImage(
        stack,
        "Kernels",
        repository=repo,
        tag_or_digest=DIGEST,
        image_name="team-kernels",
        app_type=ImageAppType.KERNEL_GATEWAY,
        kernel_specs=[KernelSpec("python3", "Team Python")],
        file_system=ImageFileSystem(mount_path="/home/user", uid=1000, gid=100),
    )
    lab_start = LifecycleConfig(stack, "LabStart", app_type=AppType.JUPYTER_LAB, script="echo lab")
    editor_start = LifecycleConfig(stack, "EditorStart", app_type=AppType.CODE_EDITOR, script="echo editor")
    domain = StudioDomain(
        stack,
        "Domain",
        vpc=vpc,
        domain_name="research",
        custom_images=[lab, editor, kernels],
        default_image=StudioImage.custom(lab),
        built_in_lifecycle_configs=[lab_start, editor_start],
        code_repositories=[REPO_URL],
    )
    alice = domain.add_user(
        "alice",
        custom_images=[editor, kernels],
        default_image=StudioImage.custom(editor),
        built_in_lifecycle_configs=[editor_start],
        code_repositories=["https://github.com/example-org/alice.git"],
    )
    domain.add_space(
        "alice-code", sharing=SpaceSharing.PRIVATE, owner=alice, app_type=AppType.CODE_EDITOR, image=StudioImage.custom(editor)
    )
    domain.add_space("team", image=StudioImage.custom(lab), code_repositories=[REPO_URL])
    DomainAdminRole(stack, "Admin", domain=domain, assumed_by=iam.AccountRootPrincipal())
    return Built(stack, Template.from_stack(stack), lab, domain)


def test_image_role_pulls_from_its_repository_only(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "PullFromImageRepository",
                                "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/team-images",
                            }
                        ),
                        Match.object_like(
                            {"Sid": "EcrAuthorizationToken", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
                        ),
                    ]
                )
            }
        },
    )
    roles = built.template.find_resources(
        "AWS::IAM::Role", {"Properties": {"Tags": [{"Key": "studio:persona", "Value": "image"}]}}
    )
    assert len(roles) == 3


def test_digest_pins_the_version_and_old_versions_are_retained(built: Built) -> None:
    versions = built.template.find_resources("AWS::SageMaker::ImageVersion", {"Properties": {"ImageName": "team-lab"}})
    (version,) = versions.values()
    assert version["UpdateReplacePolicy"] == "Retain" and version["DeletionPolicy"] == "Retain"
    assert DIGEST in str(version["Properties"]["BaseImage"]) and "@" in str(version["Properties"]["BaseImage"])
    assert built.lab.pinned_by_digest


def test_tag_reference_and_app_image_config_name_without_dots(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::SageMaker::AppImageConfig", {"AppImageConfigName": "team-editor", "CodeEditorAppImageConfig": {}}
    )
    (version,) = built.template.find_resources(
        "AWS::SageMaker::ImageVersion", {"Properties": {"ImageName": "team.editor"}}
    ).values()
    assert ":v1.2" in str(version["Properties"]["BaseImage"])


def test_container_config_of_a_jupyterlab_image(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::SageMaker::AppImageConfig",
        {
            "AppImageConfigName": "team-lab",
            "JupyterLabAppImageConfig": {
                "ContainerConfig": {
                    "ContainerEntrypoint": ["entrypoint-jupyter-server"],
                    "ContainerArguments": ["--ServerApp.token="],
                    "ContainerEnvironmentVariables": [{"Key": "TEAM", "Value": "research"}],
                }
            },
        },
    )


def test_kernel_specs_and_file_system_of_a_kernel_image(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::SageMaker::AppImageConfig",
        {
            "KernelGatewayImageConfig": {
                "KernelSpecs": [{"Name": "python3", "DisplayName": "Team Python"}],
                "FileSystemConfig": {"MountPath": "/home/user", "DefaultUid": 1000, "DefaultGid": 100},
            }
        },
    )


def _domain(built: Built) -> dict[str, Any]:
    (domain,) = built.template.find_resources("AWS::SageMaker::Domain").values()
    props: dict[str, Any] = domain["Properties"]
    return props


def test_images_go_to_their_apps_lists_on_the_domain_and_shared_spaces(built: Built) -> None:
    props = _domain(built)
    user, space = props["DefaultUserSettings"], props["DefaultSpaceSettings"]
    entry = {"ImageName": "team-lab", "AppImageConfigName": "team-lab"}
    assert user["JupyterLabAppSettings"]["CustomImages"] == [entry]
    assert user["CodeEditorAppSettings"]["CustomImages"] == [{"ImageName": "team.editor", "AppImageConfigName": "team-editor"}]
    assert user["KernelGatewayAppSettings"]["CustomImages"] == [
        {"ImageName": "team-kernels", "AppImageConfigName": "team-kernels"}
    ]
    assert space["JupyterLabAppSettings"]["CustomImages"] == [entry]
    assert space["KernelGatewayAppSettings"]["CustomImages"][0]["ImageName"] == "team-kernels"
    assert "CodeEditorAppSettings" not in space


def test_custom_default_image_is_the_default_of_its_own_app_only(built: Built) -> None:
    user = _domain(built)["DefaultUserSettings"]
    assert "Fn::GetAtt" in user["JupyterLabAppSettings"]["DefaultResourceSpec"]["SageMakerImageArn"]
    assert "SageMakerImageArn" not in user["CodeEditorAppSettings"].get("DefaultResourceSpec", {})


def test_built_in_lifecycle_configs_and_code_repositories(built: Built) -> None:
    props = _domain(built)
    user, space = props["DefaultUserSettings"], props["DefaultSpaceSettings"]
    for settings in (user["JupyterLabAppSettings"], user["CodeEditorAppSettings"]):
        assert "BuiltInLifecycleConfigArn" in settings
    assert user["JupyterLabAppSettings"]["CodeRepositories"] == [{"RepositoryUrl": REPO_URL}]
    assert space["JupyterLabAppSettings"]["CodeRepositories"] == [{"RepositoryUrl": REPO_URL}]
    built.template.has_resource_properties(
        "AWS::SageMaker::Space",
        {
            "SpaceName": "team",
            "SpaceSettings": Match.object_like(
                {"JupyterLabAppSettings": Match.object_like({"CodeRepositories": [{"RepositoryUrl": REPO_URL}]})}
            ),
        },
    )


def test_profile_lists_and_private_code_editor_space_image(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::SageMaker::UserProfile",
        {
            "UserSettings": Match.object_like(
                {
                    "CodeEditorAppSettings": Match.object_like(
                        {"CustomImages": [{"ImageName": "team.editor", "AppImageConfigName": "team-editor"}]}
                    )
                }
            )
        },
    )
    built.template.has_resource_properties(
        "AWS::SageMaker::Space",
        {
            "SpaceName": "alice-code",
            "SpaceSettings": Match.object_like(
                {"CodeEditorAppSettings": {"DefaultResourceSpec": {"SageMakerImageArn": Match.any_value()}}}
            ),
        },
    )


def test_images_join_the_approved_set(built: Built) -> None:
    approved = {str(built.stack.resolve(a)) for a in built.domain.approved_image_arns}
    for name in ("Lab", "Editor", "Kernels"):
        assert any(name in a for a in approved), (name, approved)


# -- bad input ---------------------------------------------------------------------------------


def _fresh() -> tuple[Stack, Any, ecr.IRepository]:
    stack, vpc = new_stack()
    return stack, vpc, _repo(stack)


@pytest.mark.parametrize("ref", ["latest:1", "sha256:abc", "-x", "", "a" * 129, "repo@sha256:" + "ab" * 32])
def test_fails_when_the_reference_is_neither_tag_nor_digest(ref: str) -> None:
    stack, _, repo = _fresh()
    with pytest.raises(StudioConfigError, match="tag_or_digest"):
        CustomImage(stack, "Img", repository=repo, tag_or_digest=ref, image_name="img")


def test_fails_when_a_kernel_image_has_a_container_config_or_no_kernels() -> None:
    stack, _, repo = _fresh()
    with pytest.raises(StudioConfigError) as err:
        CustomImage(
            stack,
            "Img",
            repository=repo,
            tag_or_digest=DIGEST,
            image_name="img",
            app_type=ImageAppType.KERNEL_GATEWAY,
            entrypoint=["x"],
        )
    assert "entrypoint" in str(err.value) and "kernel_specs" in str(err.value)


def test_fails_when_a_jupyterlab_image_has_kernel_specs() -> None:
    stack, _, repo = _fresh()
    with pytest.raises(StudioConfigError, match="kernel_specs"):
        CustomImage(stack, "Img", repository=repo, tag_or_digest=DIGEST, image_name="img", kernel_specs=[KernelSpec("py")])


def test_fails_when_the_app_type_is_not_one_an_image_config_serves() -> None:
    stack, _, repo = _fresh()
    with pytest.raises(StudioConfigError, match="app_type"):
        CustomImage(stack, "Img", repository=repo, tag_or_digest=DIGEST, image_name="img", app_type="RStudioServerPro")  # type: ignore[arg-type]


def test_fails_when_the_default_image_is_not_in_the_domains_list() -> None:
    stack, vpc, repo = _fresh()
    lab = CustomImage(stack, "Img", repository=repo, tag_or_digest=DIGEST, image_name="img")
    with pytest.raises(StudioConfigError, match=r"JupyterLabAppSettings.CustomImages of the domain"):
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", default_image=StudioImage.custom(lab))


def test_fails_when_a_profiles_own_list_drops_the_domains_default() -> None:
    stack, vpc, repo = _fresh()
    lab = CustomImage(stack, "Img", repository=repo, tag_or_digest=DIGEST, image_name="img")
    other = CustomImage(stack, "Other", repository=repo, tag_or_digest=DIGEST, image_name="other")
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", custom_images=[lab], default_image=StudioImage.custom(lab))
    with pytest.raises(StudioConfigError, match="user bob"):
        domain.add_user("bob", custom_images=[other])


def test_fails_when_a_shared_code_editor_space_has_a_custom_image() -> None:
    stack, vpc, repo = _fresh()
    editor = CustomImage(stack, "Img", repository=repo, tag_or_digest=DIGEST, image_name="img", app_type=ImageAppType.CODE_EDITOR)
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", custom_images=[editor])
    with pytest.raises(StudioConfigError, match=r"spaces\[team\].image.*no Code Editor image list"):
        domain.add_space("team", app_type=AppType.CODE_EDITOR, image=StudioImage.custom(editor))


def test_fails_when_a_space_image_serves_another_app_or_is_unlisted() -> None:
    stack, vpc, repo = _fresh()
    lab = CustomImage(stack, "Img", repository=repo, tag_or_digest=DIGEST, image_name="img")
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d")
    alice = domain.add_user("alice")
    with pytest.raises(StudioConfigError, match="serves CodeEditor"):
        domain.add_space(
            "a", sharing=SpaceSharing.PRIVATE, owner=alice, app_type=AppType.CODE_EDITOR, image=StudioImage.custom(lab)
        )
    with pytest.raises(StudioConfigError, match="user alice, the space's owner"):
        domain.add_space("b", sharing=SpaceSharing.PRIVATE, owner=alice, image=StudioImage.custom(lab))


@pytest.mark.parametrize("url", ["http://github.com/a/b.git", "git@github.com:a/b.git", "https://x"])
def test_fails_when_a_code_repository_is_not_an_https_git_url(url: str) -> None:
    stack, vpc, _ = _fresh()
    with pytest.raises(StudioConfigError, match=r"code_repositories\[0\]"):
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", code_repositories=[url])


def test_fails_when_a_code_editor_space_has_code_repositories() -> None:
    stack, vpc, _ = _fresh()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d")
    with pytest.raises(StudioConfigError, match="JupyterLab setting"):
        domain.add_space("team", app_type=AppType.CODE_EDITOR, code_repositories=[REPO_URL])


def test_fails_when_two_built_in_configs_of_one_app_are_given() -> None:
    stack, vpc, _ = _fresh()
    a = LifecycleConfig(stack, "A", app_type=AppType.JUPYTER_LAB, script="echo a")
    b = LifecycleConfig(stack, "B", app_type=AppType.JUPYTER_LAB, script="echo b")
    with pytest.raises(StudioConfigError, match="built_in_lifecycle_configs"):
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", built_in_lifecycle_configs=[a, b])


def test_profile_sets_its_own_lists_built_in_config_and_repositories(built: Built) -> None:
    (profile,) = built.template.find_resources("AWS::SageMaker::UserProfile").values()
    user = profile["Properties"]["UserSettings"]
    assert [i["ImageName"] for i in user["KernelGatewayAppSettings"]["CustomImages"]] == ["team-kernels"]
    assert "BuiltInLifecycleConfigArn" in user["CodeEditorAppSettings"]
    assert user["JupyterLabAppSettings"]["CodeRepositories"] == [{"RepositoryUrl": "https://github.com/example-org/alice.git"}]


def test_every_version_of_an_attached_image_is_approved_for_the_admin(built: Built) -> None:
    policies = {**built.template.find_resources("AWS::IAM::ManagedPolicy"), **built.template.find_resources("AWS::IAM::Policy")}
    statements = [st for p in policies.values() for st in p["Properties"]["PolicyDocument"]["Statement"]]
    found = [json.dumps(st) for st in statements if st.get("Sid") == "DenyUnapprovedImageVersions"]
    lab_image = next(k for k in built.template.find_resources("AWS::SageMaker::Image") if k.startswith("LabImage"))
    assert found
    for versions in found:
        assert lab_image in versions and ":image-version/" in versions and "/*" in versions


def test_an_image_name_known_only_at_deploy_time_names_the_config_too() -> None:
    stack, _, repo = _fresh()
    name = CfnParameter(stack, "ImageName").value_as_string
    image = CustomImage(stack, "Img", repository=repo, tag_or_digest=DIGEST, image_name=name)
    assert stack.resolve(image.app_image_config.app_image_config_name) == {"Ref": "ImageName"}

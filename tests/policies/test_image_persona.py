"""The ``image`` persona, evaluated: a custom image's role pulls from its one repository and does
nothing else (the registry login, which has no resource type, aside)."""

from __future__ import annotations

from aws_cdk import aws_ecr as ecr

from sagemaker_studio_cdk import CustomImage
from sagemaker_studio_cdk.policies.image import image_pull_statements
from sagemaker_studio_cdk.policies.resolver import resolve_assembly
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, IamEvaluator, Principal
from tests.policies.matrix import ALLOW, DENY, Row, run
from tests.policies.test_iam_data import problems_of
from tests.support import new_stack

REPO = f"arn:{PARTITION}:ecr:{REGION}:{ACCOUNT}:repository/team/images"
OTHER = f"arn:{PARTITION}:ecr:{REGION}:{ACCOUNT}:repository/other"


def test_image_role_pulls_from_its_repository_only(evaluator: IamEvaluator) -> None:
    stack, _ = new_stack()
    repo = ecr.Repository.from_repository_arn(stack, "Repo", REPO)
    CustomImage(stack, "Image", repository=repo, tag_or_digest="sha256:" + "ab" * 32, image_name="team-lab")
    (role,) = [r for r in resolve_assembly(stack.node.root.synth().directory) if r.persona == "image"]  # type: ignore[attr-defined]
    image = Principal(name="image", arn=role.arn, identity_policies=role.identity_policies)
    table = [
        Row("image-pull", "image", "ecr:BatchGetImage", REPO, ALLOW),
        Row("image-pull", "image", "ecr:GetDownloadUrlForLayer", REPO, ALLOW),
        Row("image-pull", "image", "ecr:GetAuthorizationToken", "*", ALLOW),
        Row("image-pull", "image", "ecr:BatchGetImage", OTHER, DENY),
        Row("image-pull", "image", "ecr:PutImage", REPO, DENY),
        Row("image-pull", "image", "ecr:SetRepositoryPolicy", REPO, DENY),
        Row("image-pull", "image", "s3:GetObject", f"arn:{PARTITION}:s3:::bucket/key", DENY),
        Row(
            "image-pull",
            "image",
            "sagemaker:CreateApp",
            f"arn:{PARTITION}:sagemaker:{REGION}:{ACCOUNT}:app/d-1/u/JupyterLab/default",
            DENY,
        ),
    ]
    mismatches = run(evaluator, {"image": image}, table)
    assert not mismatches, "\n".join(map(str, mismatches))


def test_image_statements_use_only_real_actions(evaluator: IamEvaluator) -> None:
    document = {"Version": "2012-10-17", "Statement": [s.to_statement_json() for s in image_pull_statements(REPO)]}
    problems = problems_of(evaluator, {"image": document})
    assert not problems, "\n".join(problems)

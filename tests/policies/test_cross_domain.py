"""Cross-domain rows of the decision matrix: in an app of two domains (tests/fixtures/domains),
each with an ``alice`` and a private ``alice-lab``, no admin, user session or user-access
session of one domain reaches the other's private spaces, apps, profiles or users' data; the
same request on its own domain is allowed (so each Deny is the domain boundary, not a typo)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sagemaker_studio_cdk.policies.resolver import AssemblyResolver
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, IamEvaluator, Principal
from tests.policies.matrix import ALLOW, DENY, Row, run
from tests.several_domains import two_domains


@dataclass(frozen=True)
class Domain:
    """One domain of the app as the rows need it."""

    name: str
    domain_id: str
    bucket_arn: str
    people: dict[str, Principal]

    def sagemaker(self, resource: str) -> str:
        return f"arn:{PARTITION}:sagemaker:{REGION}:{ACCOUNT}:{resource}"

    @property
    def domain(self) -> str:
        return self.sagemaker(f"domain/{self.domain_id}")

    def profile(self, name: str) -> str:
        return self.sagemaker(f"user-profile/{self.domain_id}/{name}")

    def space(self, name: str) -> str:
        return self.sagemaker(f"space/{self.domain_id}/{name}")

    def app(self, space: str) -> str:
        return self.sagemaker(f"app/{self.domain_id}/{space}/JupyterLab/default")

    def private(self, owner: str) -> dict[str, str | list[str]]:
        return {"sagemaker:SpaceSharingType": "Private", "sagemaker:OwnerUserProfileArn": self.profile(owner)}


def resolve(name: str, resolver: AssemblyResolver) -> Domain:
    stack = f"StudioDomain-{name}"
    ((_, domain),) = [(s, i) for s, i in resolver.find("AWS::SageMaker::Domain") if s == stack]
    ((_, bucket),) = [(s, i) for s, i in resolver.find("AWS::S3::Bucket") if s == stack]
    domain_id = resolver.attribute(stack, domain, "DomainId")
    roles = {
        r.persona: r for r in resolver.roles() if r.stack == stack and r.persona in ("domain-admin", "execution", "user-access")
    }
    people = {
        "admin": Principal(
            name=f"{name}:admin",
            arn=roles["domain-admin"].arn,
            identity_policies=roles["domain-admin"].identity_policies,
            boundary=roles["domain-admin"].boundary,
            context={"aws:PrincipalTag/studio:persona": "domain-admin"},
        ),
        "alice": Principal(
            name=f"{name}:execution:alice",
            arn=roles["execution"].arn,
            identity_policies=roles["execution"].identity_policies,
            context={"aws:SourceIdentity": "alice"},
            variables={"sagemaker:DomainId": domain_id, "sagemaker:UserProfileName": "alice"},
        ),
    }
    if "user-access" in roles:  # IAM domains only
        people["access:alice"] = Principal(
            name=f"{name}:user-access:alice",
            arn=roles["user-access"].arn,
            identity_policies=roles["user-access"].identity_policies,
            context={"aws:PrincipalTag/studio:persona": "user-access", "aws:PrincipalTag/studio:user-profile": "alice"},
        )
    return Domain(name, domain_id, resolver.attribute(stack, bucket, "Arn"), people)


@pytest.fixture(scope="module")
def domains() -> dict[str, Domain]:
    directory, _ = two_domains()
    resolver = AssemblyResolver(directory, partition=PARTITION, account=ACCOUNT, region=REGION)
    return {name: resolve(name, resolver) for name in ("dev", "prod")}


def requests(target: Domain) -> dict[str, list[tuple[str, str, dict[str, str | list[str]]]]]:
    """What each persona does in ``target``: allowed in its own domain, denied in the other."""
    shared: dict[str, str | list[str]] = {"sagemaker:SpaceSharingType": "Shared"}
    return {
        "admin": [
            ("sagemaker:UpdateDomain", target.domain, {}),
            ("sagemaker:CreateUserProfile", target.profile("dave"), {}),
            ("sagemaker:DeleteUserProfile", target.profile("bob"), {}),
            ("sagemaker:DeleteSpace", target.space("team"), shared),
            ("sagemaker:DeleteApp", target.app("alice-lab"), target.private("alice")),
        ],
        "alice": [
            ("sagemaker:CreateApp", target.app("alice-lab"), target.private("alice")),
            ("sagemaker:UpdateSpace", target.space("alice-lab"), target.private("alice")),
            ("sagemaker:CreateSpace", target.space("alice-second"), target.private("alice")),
            ("sagemaker:CreateApp", target.app("team"), shared),
            ("sagemaker:CreatePresignedDomainUrl", target.profile("alice"), {}),
            ("s3:GetObject", f"{target.bucket_arn}/users/alice/notes.txt", {}),
            ("s3:PutObject", f"{target.bucket_arn}/users/alice/model.pkl", {}),
            ("s3:ListBucket", target.bucket_arn, {"s3:prefix": "users/alice/"}),
        ],
        "access:alice": [("sagemaker:CreatePresignedDomainUrl", target.profile("alice"), {})],
    }


def test_no_persona_of_one_domain_reaches_the_other(evaluator: IamEvaluator, domains: dict[str, Domain]) -> None:
    rows: list[Row] = []
    people: dict[str, Principal] = {}
    for home in domains.values():
        for target in domains.values():
            expected = ALLOW if target is home else DENY
            for persona, principal in home.people.items():
                people[f"{home.name}:{persona}"] = principal
                for action, resource, context in requests(target)[persona]:
                    path = "own-domain" if target is home else "cross-domain"
                    rows.append(Row(path, f"{home.name}:{persona}", action, resource, expected, context))
    assert {r.persona for r in rows} == {"dev:admin", "dev:alice", "dev:access:alice", "prod:admin", "prod:alice"}
    mismatches = run(evaluator, people, rows)
    assert not mismatches, f"{len(mismatches)} of {len(rows)} rows differ:\n" + "\n".join(f"  {m}" for m in mismatches)
    assert sum(r.expected == DENY for r in rows) == len(rows) // 2

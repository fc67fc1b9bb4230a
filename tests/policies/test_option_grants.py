"""What the library grants for the settings it wires, evaluated: a notebook-sharing prefix and the
S3 file systems reach the execution roles that use them, on their own prefixes only; a profile's
grant reaches that profile's role only; the users' private folders stay private."""

from __future__ import annotations

import copy
from typing import Any

from tests.options_synth import SHARING_KEY, options_synth
from tests.policies.evaluator import IamEvaluator, Principal
from tests.policies.matrix import ALLOW, DENY, Row, run

DATA = "arn:aws:s3:::team-data"
SHARING = "arn:aws:s3:::team-sharing"


def _people() -> dict[str, Principal]:
    synth = options_synth()
    people: dict[str, Principal] = {}
    for name, role_key, identity in (
        ("alice", "domain", "alice"),  # a user on the domain's role (dave, shared spaces)
        ("erin", "domain", "erin"),  # on the domain's role too, with an S3 mount of her own
        ("bob", "bob", "bob"),
        ("carol", "carol", "carol"),
    ):
        role = synth.roles[role_key]
        people[name] = Principal(
            name=name,
            arn=role.arn,
            identity_policies=role.identity_policies,
            context={"aws:SourceIdentity": identity},
            variables={"sagemaker:DomainId": "d-abcdefghijkl", "sagemaker:UserProfileName": identity},
        )
    return people


DEFAULT_KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}
    ],
}
"""A KMS key's default policy: it lets the account's IAM policies decide (KMS needs the key policy to)."""


def _listing(prefix: str) -> dict[str, str | list[str]]:
    return {"s3:prefix": prefix}


ROWS = [
    # notebook sharing: the domain's prefix for the domain's role and roles inheriting it
    Row("sharing", "alice", "s3:PutObject", f"{SHARING}/shared/nb.ipynb", ALLOW),
    Row("sharing", "alice", "s3:GetObject", f"{SHARING}/shared/nb.ipynb", ALLOW),
    Row("sharing", "alice", "s3:ListBucket", SHARING, ALLOW, _listing("shared/")),
    Row("sharing", "alice", "s3:ListBucket", SHARING, DENY, _listing("bob/")),
    Row("sharing", "alice", "s3:ListBucket", SHARING, DENY),  # the whole bucket
    Row("sharing", "alice", "s3:GetObject", f"{SHARING}/bob/nb.ipynb", DENY),
    Row("sharing", "alice", "s3:GetObject", f"{SHARING}/sharedother/nb.ipynb", DENY),
    Row("sharing", "alice", "s3:PutObject", f"{SHARING}/nb.ipynb", DENY),
    Row("sharing", "alice", "s3:PutBucketPolicy", SHARING, DENY),
    Row("sharing", "alice", "kms:GenerateDataKey", SHARING_KEY, ALLOW, resource_policy=DEFAULT_KEY_POLICY),
    Row("sharing", "carol", "s3:PutObject", f"{SHARING}/shared/nb.ipynb", ALLOW),  # own role, domain's sharing
    Row("sharing", "carol", "kms:Decrypt", SHARING_KEY, ALLOW, resource_policy=DEFAULT_KEY_POLICY),
    Row("sharing", "bob", "kms:Decrypt", SHARING_KEY, DENY, resource_policy=DEFAULT_KEY_POLICY),  # his sharing has no key
    # a profile's own sharing prefix reaches that profile's role only
    Row("sharing", "bob", "s3:PutObject", f"{SHARING}/bob/nb.ipynb", ALLOW),
    Row("sharing", "bob", "s3:ListBucket", SHARING, ALLOW, _listing("bob/x")),
    Row("sharing", "bob", "s3:GetObject", f"{SHARING}/shared/nb.ipynb", DENY),  # his own replaces the domain's
    Row("sharing", "carol", "s3:GetObject", f"{SHARING}/bob/nb.ipynb", DENY),
    # S3 file systems: read-only domain mount, bob's writable mount, the shared space's mount
    Row("s3-mount", "alice", "s3:GetObject", f"{DATA}/curated/a.csv", ALLOW),
    Row("s3-mount", "alice", "s3:ListBucket", DATA, ALLOW, _listing("curated/")),
    Row("s3-mount", "alice", "s3:PutObject", f"{DATA}/curated/a.csv", DENY),  # read_only
    Row("s3-mount", "alice", "s3:DeleteObject", f"{DATA}/curated/a.csv", DENY),
    Row("s3-mount", "carol", "s3:GetObject", f"{DATA}/curated/a.csv", ALLOW),  # inherits the domain's mounts
    Row("s3-mount", "carol", "s3:PutObject", f"{DATA}/curated/a.csv", DENY),
    Row("s3-mount", "alice", "s3:PutObject", f"{DATA}/lab/a.csv", ALLOW),  # the shared space's own mount
    Row("s3-mount", "alice", "s3:GetObject", f"{DATA}/bob-scratch/a.csv", DENY),
    Row("s3-mount", "bob", "s3:PutObject", f"{DATA}/bob-scratch/a.csv", ALLOW),
    Row("s3-mount", "bob", "s3:GetObject", f"{DATA}/curated/a.csv", DENY),  # his own mounts replace the domain's
    Row("s3-mount", "bob", "s3:GetObject", f"{DATA}/lab/a.csv", DENY),
    Row("s3-mount", "bob", "s3:ListBucket", DATA, DENY, _listing("")),
    Row("s3-mount", "carol", "s3:GetObject", f"{DATA}/other/a.csv", DENY),
    # a profile's own mount on the role users share reaches that user's sessions only
    Row("s3-mount", "erin", "s3:PutObject", f"{DATA}/erin-scratch/a.csv", ALLOW),
    Row("s3-mount", "erin", "s3:ListBucket", DATA, ALLOW, _listing("erin-scratch/")),
    Row("s3-mount", "alice", "s3:GetObject", f"{DATA}/erin-scratch/a.csv", DENY),
    Row("s3-mount", "alice", "s3:ListBucket", DATA, DENY, _listing("erin-scratch/")),
    # the users' private folders of the user-data bucket stay each user's own
    Row("user-data", "alice", "s3:GetObject", f"{DATA}/users/alice/notes.ipynb", ALLOW),
    Row("user-data", "alice", "s3:GetObject", f"{DATA}/users/dave/notes.ipynb", DENY),
    Row("user-data", "alice", "s3:ListBucket", DATA, DENY, _listing("users/dave/")),
    Row("user-data", "bob", "s3:GetObject", f"{DATA}/users/bob/notes.ipynb", DENY),  # his role has no user-data grant
    Row("user-data", "carol", "s3:GetObject", f"{DATA}/users/alice/notes.ipynb", DENY),
]


def test_grants_reach_their_prefixes_only(evaluator: IamEvaluator) -> None:
    mismatches = run(evaluator, _people(), ROWS)
    assert not mismatches, "\n".join(map(str, mismatches))


def test_the_matrix_catches_a_grant_widened_to_the_whole_bucket(evaluator: IamEvaluator) -> None:
    people = _people()
    policies: list[dict[str, Any]] = copy.deepcopy(people["bob"].identity_policies)
    for document in policies:
        for statement in document["Statement"]:
            if statement.get("Condition", {}).get("StringLike", {}).get("s3:prefix"):
                del statement["Condition"]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            statement["Resource"] = [
                r.split("/", 1)[0] + "/*" if r.startswith("arn:aws:s3:::") and "/" in r else r for r in resources
            ]
    weakened = Principal(name="bob", arn=people["bob"].arn, identity_policies=policies, context=people["bob"].context)
    mismatches = run(evaluator, {**people, "bob": weakened}, [r for r in ROWS if r.persona == "bob"])
    caught = {(m.row.action, m.row.resource) for m in mismatches}
    assert ("s3:GetObject", f"{DATA}/curated/a.csv") in caught
    assert ("s3:ListBucket", DATA) in caught


def _whole_bucket(resource: str) -> str:
    return resource.split("/", 1)[0] + "/*" if resource.startswith("arn:aws:s3:::") and "/" in resource else resource

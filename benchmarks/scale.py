"""What the scale benchmarks synthesize: a domain with many users, each with a private space,
in nested stacks of 200 (the spec's ``group``), as a platform team at that size declares them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sagemaker_studio_cdk.node import use_venv_node  # noqa: E402

use_venv_node()  # before jsii starts


def scale_app(users: int, outdir: str | None = None, *, vpc: Any = None, **context: Any) -> Any:
    """An App (cdk.json's context and the CLI's, plus ``context``) holding the scale domain.

    :param vpc: an ``ExistingVpc``. Default: made-up ids in us-east-1a and us-east-1b.
    """
    from aws_cdk import App, Environment

    from sagemaker_studio_cdk import StudioDomainStack, parse_spec
    from sagemaker_studio_cdk.stacks import MAX_USERS_PER_GROUP, ExistingVpc

    raw = {
        "region": "us-east-1",
        "domain": {"name": "scale"},
        "users": [{"name": f"user{i:05d}", "group": f"g{i // MAX_USERS_PER_GROUP:03d}"} for i in range(users)],
        "spaces": [{"name": f"user{i:05d}-lab", "sharing": "Private", "owner": f"user{i:05d}"} for i in range(users)],
    }
    vpc = vpc or ExistingVpc(
        "vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")
    )
    app_context = json.loads((ROOT / "cdk.json").read_text())["context"]
    app_context.update({"aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True, **context})
    app = App(context=app_context, outdir=outdir)
    StudioDomainStack(app, "Scale", spec=parse_spec(raw), vpc=vpc, env=Environment(account="111122223333", region="us-east-1"))
    return app

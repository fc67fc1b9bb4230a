"""The MLflow App handler's Lambda asset: its own botocore knows every member the handler sends.

Lambda's Python runtime carries an older boto3 than the MLflow App API needs (``KmsKeyId`` is
newer than botocore 1.43). The asset bundles boto3/botocore from this installation; this test
walks the handler's calls (the ``sm.<operation>(...)`` calls in its source, and the members it
builds requests from) against the service model inside the asset, not the one installed here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from botocore.loaders import Loader
from botocore.model import ServiceModel

from sagemaker_studio_cdk.constructs.mlflow import HANDLER_MODULE, handler_asset
from sagemaker_studio_cdk.handlers import mlflow_app


def _bundled_model(asset: Path) -> ServiceModel:
    loader = Loader(extra_search_paths=[str(asset / "botocore" / "data")], include_default_search_paths=False)
    return ServiceModel(loader.load_service_model("sagemaker", "service-2"), "sagemaker")


def _calls() -> dict[str, set[str]]:
    """Operation (snake case) -> keyword arguments, for every ``sm.<operation>(...)`` call."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(HANDLER_MODULE.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "sm":
                found.setdefault(node.func.attr, set()).update(k.arg for k in node.keywords if k.arg)
    return found


def test_the_asset_bundles_this_installations_botocore_and_the_handler() -> None:
    import botocore

    asset = handler_asset()
    assert (asset / "mlflow_app.py").read_bytes() == HANDLER_MODULE.read_bytes()
    version = re.search(r"__version__ = ['\"]([^'\"]+)", (asset / "botocore" / "__init__.py").read_text())
    assert version is not None and version.group(1) == botocore.__version__
    assert sorted(p.name for p in (asset / "botocore" / "data").iterdir() if p.is_dir()) == ["sagemaker"]


def test_the_bundled_botocore_knows_every_operation_and_member_the_handler_sends() -> None:
    model = _bundled_model(handler_asset())
    operations = {name: model.operation_model(name) for name in model.operation_names}
    by_method = {_snake(name): op for name, op in operations.items()}
    calls = _calls()
    assert {"create_mlflow_app", "update_mlflow_app", "delete_mlflow_app", "describe_mlflow_app"} <= set(calls)
    sent = {
        "create_mlflow_app": set(mlflow_app.CREATE_MEMBERS),
        "update_mlflow_app": {"Arn", *mlflow_app.UPDATE_MEMBERS, "AccountDefaultStatus"},
    }
    for method, keywords in calls.items():
        assert method in by_method, f"the bundled botocore has no {method}"
        members = set(by_method[method].input_shape.members)
        missing = (keywords | sent.get(method, set())) - members
        assert not missing, f"{method}: the bundled botocore lacks {sorted(missing)}"


def test_the_settings_handlers_asset_knows_its_calls_and_the_api_only_members() -> None:
    from sagemaker_studio_cdk.constructs.api_settings import HANDLER_MODULE as SETTINGS_MODULE
    from sagemaker_studio_cdk.handlers import api_settings

    asset = handler_asset(SETTINGS_MODULE)
    assert (asset / "api_settings.py").read_bytes() == SETTINGS_MODULE.read_bytes()
    model = _bundled_model(asset)
    for update, describe, ids in api_settings.OPERATIONS.values():
        assert set(ids) <= set(model.operation_model(update).input_shape.members)
        assert set(ids) <= set(model.operation_model(describe).input_shape.members)
    # members the settings resource exists for (WORKBENCH-FACTS.md 1.2), where the handler sends them
    domain = model.operation_model("UpdateDomain").input_shape.members
    user = domain["DefaultUserSettings"].members
    for path in (
        ("CanvasAppSettings", "GenerativeAiSettings"),
        ("CanvasAppSettings", "EmrServerlessSettings"),
        ("JupyterLabAppSettings", "EmrSettings"),
        ("TensorBoardAppSettings",),
        ("StudioWebPortalSettings", "ExecutionRoleSessionNameMode"),
    ):
        shape = user[path[0]]
        for part in path[1:]:
            shape = shape.members[part]
    settings = domain["DomainSettingsForUpdate"].members
    assert {"AmazonQSettings", "TrustedIdentityPropagationSettings", "RStudioServerProDomainSettingsForUpdate"} <= set(settings)
    assert "RootlessDocker" in settings["DockerSettings"].members


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))

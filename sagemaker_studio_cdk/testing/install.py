"""Turning the extension on and off in this process (moto 5.2.5, pinned: the patch points are
moto's internals)."""

from __future__ import annotations

import json
import os
import threading
from typing import Any

_LOCK = threading.Lock()
_ORIGINALS: list[tuple[Any, str, Any, bool]] = []

MOTO_VERSION = "5.2.5"


def _patch(owner: Any, name: str, value: Any) -> None:
    had = name in owner.__dict__
    _ORIGINALS.append((owner, name, owner.__dict__.get(name), had))
    setattr(owner, name, value)


def installed() -> bool:
    """True while the extension is on."""
    return bool(_ORIGINALS)


def install() -> None:
    """Turn the extension on for every moto backend of this process: ``mock_aws`` and moto
    servers started in it (``ThreadedMotoServer``) alike. Idempotent."""
    with _LOCK:
        if _ORIGINALS:
            return
        import moto
        from moto.cloudformation import parsing
        from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Stack
        from moto.sagemaker.responses import SageMakerResponse

        if moto.__version__ != MOTO_VERSION:
            raise RuntimeError(
                f"sagemaker_studio_cdk.testing is built for moto {MOTO_VERSION} and patches its internals; "
                f"found moto {moto.__version__}: install sagemaker-studio-cdk[testing]"
            )
        from . import adapters, engine
        from .api import handlers
        from .cfn_models import EXTRA_MODELS
        from .custom_resources import CustomResource

        engine._EXTRA.update({m.cloudformation_type(): m for m in EXTRA_MODELS})
        engine._CUSTOM[:] = [CustomResource]
        engine.UPDATE_ADAPTERS.update(adapters.UPDATES)
        engine.DELETE_ADAPTERS.update(adapters.DELETES)
        engine.AFTER_CREATE.update(adapters.AFTER_CREATE)

        _patch(parsing, "clean_json", engine.resolve)
        _patch(parsing, "resource_class_from_type", engine.resource_class_from_type)
        _patch(parsing.ResourceMap, "update", engine.resource_map_update)
        _patch(parsing.ResourceMap, "__getitem__", _no_lazy_create)
        _patch(parsing, "generate_resource_name", _bucket_names_fit(parsing.generate_resource_name))
        _patch(Stack, "create_resources", engine.stack_create_resources)
        _patch(Stack, "update", engine.stack_update)
        _patch(Stack, "delete", engine.stack_delete)
        _patch(Stack, "parse_template", staticmethod(_read_template))
        _patch(ChangeSet, "_parse_template", _read_change_set_template)
        _patch(Stack, "stack_resources", property(engine.stack_resources))
        _patch(Stack, "outputs", property(engine.stack_outputs))
        _patch(Stack, "exports", property(engine.stack_exports))
        _patch(CloudFormationBackend, "create_stack", engine.backend_create_stack)
        _patch(CloudFormationBackend, "delete_stack", engine.backend_delete_stack)
        _patch(CloudFormationBackend, "execute_change_set", engine.backend_execute_change_set)
        from moto.s3.models import FakeBucket

        _patch(FakeBucket, "get_permission", _bucket_permission)
        import moto.settings

        _patch(moto.settings, "ec2_load_default_amis", _default_amis_only_when_asked)
        import botocore.session

        _patch(botocore.session, "create_loader", _shared_loader(botocore.session.create_loader))
        for name, handler in handlers(SageMakerResponse).items():
            _patch(SageMakerResponse, name, handler)
        _clear_model_caches()


def uninstall() -> None:
    """Give moto back its own behaviour (the models stay registered, unused by moto's lookups
    only where moto never had a model of the type)."""
    with _LOCK:
        while _ORIGINALS:
            owner, name, value, had = _ORIGINALS.pop()
            if had:
                setattr(owner, name, value)
            else:
                delattr(owner, name)
        _clear_model_caches()


def _clear_model_caches() -> None:
    from moto.cloudformation import parsing

    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()


def _read_template(template: str) -> Any:
    """A template as moto 5.2.5 reads it, faster: moto reads every template with PyYAML's
    pure-Python loader, JSON ones included (about 1 s for a CDK domain stack). JSON goes to
    ``json.loads``, as CloudFormation reads it; YAML (the CDK bootstrap template) to libyaml's
    loader with moto's constructor for the short-form tags (``!Ref``...), where PyYAML has it."""
    try:
        return json.loads(template)
    except ValueError:
        pass
    import yaml
    from moto.cloudformation.utils import yaml_tag_constructor

    loader = getattr(yaml, "CLoader", yaml.Loader)
    yaml.add_multi_constructor("", yaml_tag_constructor, Loader=loader)
    return yaml.load(template, Loader=loader)


def _read_change_set_template(self: Any) -> None:
    """``ChangeSet._parse_template`` through :func:`_read_template`."""
    self.template_dict = _read_template(self.template)


def _default_amis_only_when_asked() -> bool:
    """moto fills every new EC2 backend (one per account and Region) with its catalogue of about
    1,300 public AMIs, 0.25 s each time; Studio uses none. ``MOTO_EC2_LOAD_DEFAULT_AMIS=true`` still
    asks for them."""
    return os.environ.get("MOTO_EC2_LOAD_DEFAULT_AMIS", "false").lower() != "false"


def _shared_loader(create_loader: Any) -> Any:
    """botocore's ``create_loader``, returning one loader per search path: ``mock_aws`` starts every
    block with a new default boto3 session, and every new session would read the service models'
    JSON again (0.2 s for SageMaker's) through a loader of its own. A loader only caches what it read."""
    loaders: dict[Any, Any] = {}
    lock = threading.Lock()

    def shared(search_path_string: Any = None) -> Any:
        with lock:
            if search_path_string not in loaders:
                loaders[search_path_string] = create_loader(search_path_string)
            return loaders[search_path_string]

    return shared


def _no_lazy_create(self: Any, key: str) -> Any:
    """``ResourceMap[key]``: what exists, never creating a resource as a side effect of looking."""
    if key in self._parsed_resources:
        return self._parsed_resources[key]
    raise KeyError(key)


def _bucket_names_fit(generate: Any) -> Any:
    """CloudFormation's name for a bucket without ``BucketName``: ``stack-logicalid-suffix``,
    lowercased and cut to S3's 63 characters. moto 5.2.5 cuts only the stack name, so a logical id
    longer than about 48 characters (a construct path a few levels deep) gives an invalid name."""

    def generate_resource_name(resource_type: str, stack_name: str, logical_id: str) -> str:
        if resource_type != "AWS::S3::Bucket":
            return str(generate(resource_type, stack_name, logical_id))
        from moto.cloudformation.utils import random_suffix

        suffix = f"-{random_suffix()}".lower()
        return f"{stack_name}-{logical_id}".lower()[: 63 - len(suffix)].rstrip("-.") + suffix

    return generate_resource_name


def _bucket_permission(self: Any, action: str, resource: str) -> Any:
    """moto's S3 evaluates bucket policies ignoring conditions, so CDK's ``enforceSSL`` Deny
    (``aws:SecureTransport: false``) would deny every request. Statements with conditions,
    which moto cannot evaluate, are left out of its evaluation."""
    from moto.iam.access_control import IAMPolicy, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy.decode())
    statements = document.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    document["Statement"] = [s for s in statements if "Condition" not in s]
    if not document["Statement"]:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)

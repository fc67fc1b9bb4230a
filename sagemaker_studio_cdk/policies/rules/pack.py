"""``StudioChecks``: the cdk-nag 3 pack of rules for SageMaker Studio written in Python."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import jsii
from aws_cdk import CfnResource, PolicyValidationPluginReport
from cdk_nag import IApplyRule, NagMessageLevel, NagPack, NagRuleCompliance
from constructs import IConstruct

from ._base import PACK_NAME, AppIndex, LoadedTemplates, Resource, Rule, RuleResult


@jsii.implements(IApplyRule)
class _Finding:
    """What cdk-nag's ``applyRule`` reads: jsii needs every member as a property."""

    def __init__(self, rule: Rule, node: CfnResource, result: RuleResult) -> None:
        self._rule = rule
        self._node = node
        self._result = result

    @property
    def rule_suffix_override(self) -> str:
        return self._rule.name

    @property
    def info(self) -> str:
        return self._rule.info

    @property
    def explanation(self) -> str:
        return self._rule.explanation

    @property
    def level(self) -> NagMessageLevel:
        return self._rule.level

    @property
    def node(self) -> CfnResource:
        return self._node

    def rule(self, node: CfnResource) -> Any:
        if isinstance(self._result, list):
            return self._result
        return NagRuleCompliance.NON_COMPLIANT


@jsii.implements(IApplyRule)
class _Failure(_Finding):
    """A rule that raised: reported under the rule's id with the reason, never silently passed."""

    def __init__(self, rule: Rule, node: CfnResource, error: Exception) -> None:
        super().__init__(rule, node, False)
        self._error = error

    @property
    def info(self) -> str:
        return f"{self._rule.name} could not evaluate the resource ({type(self._error).__name__}: {self._error})."


class StudioChecks(NagPack):
    """cdk-nag rules for SageMaker Studio domains, profiles, spaces and the IAM around them.

    Register it like any cdk-nag pack: ``Validations.of(app).add_plugins(StudioChecks())``; or
    call ``validate_scope(construct)`` in a test. Each resource's type is read first and only
    the rules for that type run, so large apps stay fast.

    :param rules: the rules to run. Default: every rule of :data:`~sagemaker_studio_cdk.policies.rules.RULES`.
    :param verbose: add each rule's explanation to its findings' descriptions.
    :param loaded: for an app loaded from synthesized templates with ``CfnInclude``, what the
        templates say (``check`` passes it): rules then read resources and mappings from the
        templates rather than asking the CDK to render them again.
    """

    def __init__(
        self,
        scope: IConstruct | None = None,
        *,
        rules: Sequence[Rule] | None = None,
        verbose: bool = False,
        loaded: LoadedTemplates | None = None,
    ) -> None:
        super().__init__(scope, verbose=verbose)
        self._loaded = loaded
        self._pack_name = PACK_NAME
        from . import RULES

        self.rules: tuple[Rule, ...] = tuple(RULES if rules is None else rules)
        self._by_type: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for resource_type in rule.resource_types:
                self._by_type.setdefault(resource_type, []).append(rule)
        self._index: AppIndex | None = None
        self._root: IConstruct | None = None

    @property
    def name(self) -> str:
        return PACK_NAME

    def validate_scope(self, scope: IConstruct) -> PolicyValidationPluginReport:
        """Check every resource below ``scope`` (the index of the app is rebuilt for each run)."""
        self._index = None
        self._root = scope.node.root
        try:
            report: PolicyValidationPluginReport = super().validate_scope(scope)
        finally:
            self._index = None
        return report

    def _app_index(self) -> AppIndex:
        if self._index is None:
            assert self._root is not None
            self._index = AppIndex(self._root, self._loaded)
        return self._index

    def _check_resource(self, node: CfnResource) -> None:
        resource_type = node.cfn_resource_type
        rules = self._by_type.get(resource_type)
        if not rules:
            return
        if self._root is None:
            self._root = node.node.root
        resource = Resource(node, self._app_index, resource_type, self._loaded)
        for rule in rules:
            try:
                result = rule.check(resource)
            except Exception as error:  # a rule bug must show as a finding, never as a pass
                self._apply_rule(cast(IApplyRule, _Failure(rule, node, error)))
                continue
            if result is True or result == []:
                continue
            self._apply_rule(cast(IApplyRule, _Finding(rule, node, result)))

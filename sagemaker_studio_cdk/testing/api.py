"""HTTP handlers: the Studio operations of :mod:`.studio` on moto's SageMaker endpoint.

moto dispatches a SageMaker request to the ``SageMakerResponse`` method named after the action
(``create_user_profile`` for ``CreateUserProfile``), under ``mock_aws`` and in a moto server alike.
:func:`handlers` builds one such method per operation; :mod:`.install` puts them on the class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import camelcase_to_underscores

from .studio import OPERATIONS, studio_backend


def _handler(operation: str) -> Callable[[Any], Any]:
    method = camelcase_to_underscores(operation)

    def handle(self: Any) -> Any:
        studio = studio_backend(self.current_account, self.region)
        result = getattr(studio, method)(dict(self.params))
        return EmptyResult() if result is None else ActionResult(result)

    handle.__name__ = method
    return handle


def _tag_handler(operation: str, original: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    method = camelcase_to_underscores(operation)

    def handle(self: Any) -> Any:
        studio = studio_backend(self.current_account, self.region)
        arn = self.params.get("ResourceArn")
        if arn is not None and studio.owns(arn) or original is None:
            result = getattr(studio, method)(dict(self.params))
            return EmptyResult() if result is None else ActionResult(result)
        return original(self)

    handle.__name__ = method
    return handle


def handlers(response_class: type) -> dict[str, Callable[[Any], Any]]:
    """Method name -> handler, for every operation the extension serves."""
    found = {camelcase_to_underscores(op): _handler(op) for op in OPERATIONS}
    for op in ("AddTags", "ListTags", "DeleteTags"):
        name = camelcase_to_underscores(op)
        found[name] = _tag_handler(op, response_class.__dict__.get(name))
    return found

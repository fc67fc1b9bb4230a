"""IAM as data: action tables and pure statement builders for the library's personas."""

from .execution import execution_statements

PERSONA_TAG = "studio:persona"
"""Every role the library creates for a persona carries this tag."""

__all__ = ["PERSONA_TAG", "execution_statements"]

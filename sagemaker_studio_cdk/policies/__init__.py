"""IAM as data: action tables and pure statement builders for the library's personas."""

from .admin import admin_statements
from .execution import execution_statements, instance_type_denies, user_data_statements
from .isolation import isolation_denies, self_protection_denies
from .personas import DOMAIN_ADMIN, EXECUTION, PERSONA_TAG, PERSONAS, SPACE_OWNER_TAG, USER_ACCESS
from .scp import service_control_policy
from .user_access import USER_PROFILE_TAG, user_access_statements

__all__ = [
    "DOMAIN_ADMIN",
    "EXECUTION",
    "PERSONAS",
    "PERSONA_TAG",
    "SPACE_OWNER_TAG",
    "USER_ACCESS",
    "USER_PROFILE_TAG",
    "admin_statements",
    "execution_statements",
    "instance_type_denies",
    "isolation_denies",
    "self_protection_denies",
    "service_control_policy",
    "user_access_statements",
    "user_data_statements",
]

"""The custom-image, portal and RStudio tables of ``summary`` (from templates) and of ``make demo``
(read back through the SageMaker API), and the demo's table of an execution role's Feature Store,
Data Wrangler and MLflow grants (read back through IAM). Each returns ``None`` when there is
nothing to show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .assembly import StackTemplate
from .tables import dig, table

_LISTS = ("JupyterLabAppSettings", "CodeEditorAppSettings", "KernelGatewayAppSettings")
_APP_CONFIGS = {
    "JupyterLabAppImageConfig": "JupyterLab",
    "CodeEditorAppImageConfig": "CodeEditor",
    "KernelGatewayImageConfig": "KernelGateway",
}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "(set at deploy)" if value is not None else "-"


def _pinned_by(base_image: Any) -> str:
    text = str(base_image)
    return "digest" if "@sha256:" in text else "tag" if base_image is not None else "-"


def _listed_in(settings: Any) -> list[str]:
    return [app.removesuffix("AppSettings") for app in _LISTS if dig(settings, app, "CustomImages")]


def _parent(resource: dict[str, Any]) -> str:
    """The construct path of the :class:`CustomImage` a resource belongs to."""
    return str(dig(resource, "Metadata", "aws:cdk:path") or "").rsplit("/", 1)[0]


def image_summary(templates: Sequence[StackTemplate]) -> str | None:
    """Custom images an assembly would deploy: app, how the version is pinned, where listed."""
    rows = []
    for stack in templates:
        versions = {_parent(r): r for r in stack.resources("AWS::SageMaker::ImageVersion").values()}
        configs = {_parent(r): r.get("Properties", {}) for r in stack.resources("AWS::SageMaker::AppImageConfig").values()}
        for resource in stack.resources("AWS::SageMaker::Image").values():
            name = dig(resource, "Properties", "ImageName")
            version = versions.get(_parent(resource)) or {}
            config = configs.get(_parent(resource)) or {}
            app = next((a for key, a in _APP_CONFIGS.items() if key in config), "-")
            rows.append(
                [
                    _text(name),
                    stack.label,
                    app,
                    _pinned_by(dig(version, "Properties", "BaseImage")),
                    f"{version.get('UpdateReplacePolicy', '-')}/{version.get('DeletionPolicy', '-')}",
                ]
            )
    if not rows:
        return None
    return "Custom images\n" + table(["image", "stack", "app", "pinned by", "old versions (replace/delete)"], sorted(rows))


def portal_summary(templates: Sequence[StackTemplate]) -> str | None:
    """Portal guardrails and custom image lists of the domain and each profile that sets them."""
    rows = []
    for stack in templates:
        for kind, key, settings_key, name_key in (
            ("domain", "AWS::SageMaker::Domain", "DefaultUserSettings", "DomainName"),
            ("user", "AWS::SageMaker::UserProfile", "UserSettings", "UserProfileName"),
        ):
            for resource in stack.resources(key).values():
                props = resource.get("Properties", {})
                row = _portal_row(props.get(settings_key) or {})
                if any(cell != "-" for cell in row):
                    rows.append([f"{kind} {_text(props.get(name_key))}", *row])
    if not rows:
        return None
    return "Portal and image lists\n" + table(
        ["who", "portal", "landing", "hidden apps", "hidden tools", "hidden instance types", "image lists"], rows
    )


def _portal_row(settings: dict[str, Any]) -> list[str]:
    portal = settings.get("StudioWebPortalSettings") or {}
    return [
        str(settings.get("StudioWebPortal") or "-"),
        str(settings.get("DefaultLandingUri") or "-"),
        ", ".join(portal.get("HiddenAppTypes") or []) or "-",
        ", ".join(portal.get("HiddenMlTools") or []) or "-",
        str(len(portal["HiddenInstanceTypes"])) if portal.get("HiddenInstanceTypes") else "-",
        ", ".join(_listed_in(settings)) or "-",
    ]


_SETTINGS_LISTS = (*_LISTS, "RSessionAppSettings")


def _image_lists(settings: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Image name -> (the list it is in, its app image config name), from the lists of ``settings``."""
    found: dict[str, tuple[str, str]] = {}
    for key in _SETTINGS_LISTS:
        for image in dig(settings, key, "CustomImages") or []:
            found.setdefault(
                str(image.get("ImageName")), (key.removesuffix("AppSettings"), str(image.get("AppImageConfigName") or "-"))
            )
    return found


def _config_app(sm: Any, name: str) -> str:
    """The app an app image config serves, read back (``-`` for a config with no app block, as an
    RSession image's)."""
    if name == "-":
        return "-"
    config = sm.describe_app_image_config(AppImageConfigName=name)
    return next((app for key, app in _APP_CONFIGS.items() if key in config), "-")


def deployed_image_tables(sm: Any, domain: dict[str, Any]) -> str | None:
    """What the SageMaker API holds: each image with its versions, the app image config and list it
    is attached through, and the domain's portal row."""
    rows = []
    settings = domain.get("DefaultUserSettings") or {}
    lists = _image_lists(settings)
    for image in sm.list_images()["Images"]:
        name = image["ImageName"]
        versions = sm.list_image_versions(ImageName=name)["ImageVersions"]
        latest = sm.describe_image_version(ImageName=name) if versions else {}
        listed_in, config = lists.get(str(name), ("-", "-"))
        rows.append(
            [
                str(name),
                str(image.get("ImageStatus", "-")),
                ", ".join(str(v["Version"]) for v in sorted(versions, key=lambda v: v["Version"])) or "-",
                _pinned_by(latest.get("BaseImage")),
                config,
                _config_app(sm, config),
                listed_in,
            ]
        )
    portal = _portal_row(settings)
    if not rows and all(cell == "-" for cell in portal):
        return None
    parts = []
    if rows:
        parts.append(
            "Custom images\n"
            + table(
                ["image", "status", "versions", "latest pinned by", "app image config", "config for", "domain list"],
                sorted(rows),
                indent="  ",
            )
        )
    parts.append(
        "Portal and image lists (domain)\n"
        + table(
            ["portal", "landing", "hidden apps", "hidden tools", "hidden instance types", "image lists"], [portal], indent="  "
        )
    )
    return "\n\n".join(parts)


_GRANTS = (
    ("Feature Store", (":feature-group/",)),
    ("Data Wrangler", ("canvas-data-prep", "/data-wrangler/")),
    ("MLflow", (":mlflow-app/", ":mlflow-tracking-server/", "/mlflow/")),
)


def deployed_grant_table(iam: Any, role_name: str) -> str | None:
    """The Feature Store, Data Wrangler and MLflow grants in a role's inline policies, read back:
    which actions on which resources (ARNs shortened to what follows the service's account)."""
    rows: dict[tuple[str, str], set[str]] = {}
    for policy in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role_name, PolicyName=policy)["PolicyDocument"]
        statements = document.get("Statement") or []
        for statement in [statements] if isinstance(statements, dict) else statements:
            if statement.get("Effect") != "Allow":
                continue
            resources = statement.get("Resource") or []
            actions = statement.get("Action") or []
            for resource in [resources] if isinstance(resources, str) else resources:
                grant = next((g for g, marks in _GRANTS if any(m in resource for m in marks)), None)
                if grant is not None:
                    rows.setdefault((grant, resource.rsplit(":", 1)[-1]), set()).update(
                        [actions] if isinstance(actions, str) else actions
                    )
    if not rows:
        return None
    return f"Grants of {role_name} (Feature Store, Data Wrangler, MLflow)\n" + table(
        ["grant", "resource", "actions"],
        [[grant, resource, _actions(sorted(actions))] for (grant, resource), actions in sorted(rows.items())],
        indent="  ",
    )


def _actions(actions: Sequence[str]) -> str:
    shown = ", ".join(actions[:3])
    return f"{shown} (+{len(actions) - 3})" if len(actions) > 3 else shown


def _rstudio_row(domain: dict[str, Any]) -> list[str] | None:
    """The domain's RStudio settings as one row (``None`` without RStudio); ``domain`` holds
    ``DomainSettings``, ``DefaultUserSettings``, ``AppSecurityGroupManagement`` and
    ``HomeEfsFileSystemCreation`` as CloudFormation and DescribeDomain name them."""
    server = dig(domain, "DomainSettings", "RStudioServerProDomainSettings")
    if not server:
        return None
    users = dig(domain, "DefaultUserSettings", "RStudioServerProAppSettings") or {}
    session = dig(domain, "DefaultUserSettings", "RSessionAppSettings") or {}
    spec = server.get("DefaultResourceSpec") or {}
    return [
        "set" if server.get("DomainExecutionRoleArn") else "-",
        _text(spec.get("InstanceType")) if spec else "AWS's",
        f"{users.get('AccessStatus', '-')}/{users.get('UserGroup', '-')}",
        ", ".join(_text(i.get("ImageName")) for i in session.get("CustomImages") or []) or "-",
        "yes" if server.get("RStudioConnectUrl") else "-",
        "yes" if server.get("RStudioPackageManagerUrl") else "-",
        str(domain.get("AppSecurityGroupManagement") or "-"),
    ]


_RSTUDIO_HEADERS = [
    "domain role",
    "server instance",
    "users' default access/group",
    "session images",
    "Connect",
    "Package Manager",
    "app SGs",
]


def rstudio_summary(templates: Sequence[StackTemplate]) -> str | None:
    """RStudio on each domain of an assembly that turns it on, and the users who set their own
    access or group (both create-only)."""
    rows, users = [], []
    for stack in templates:
        for resource in stack.resources("AWS::SageMaker::Domain").values():
            props = resource.get("Properties", {})
            row = _rstudio_row(props)
            if row is not None:
                rows.append([_text(props.get("DomainName")), *row])
        for resource in stack.resources("AWS::SageMaker::UserProfile").values():
            props = resource.get("Properties", {})
            own = dig(props, "UserSettings", "RStudioServerProAppSettings")
            if own:
                users.append(
                    [_text(props.get("UserProfileName")), str(own.get("AccessStatus", "-")), str(own.get("UserGroup", "-"))]
                )
    if not rows:
        return None
    text = "RStudio (needs a Posit license; home EFS on)\n" + table(["domain", *_RSTUDIO_HEADERS], rows)
    if users:
        text += "\n\nRStudio users with their own settings (create-only)\n" + table(["user", "access", "group"], sorted(users))
    return text


def deployed_rstudio_table(sm: Any, domain: dict[str, Any]) -> str | None:
    """What the SageMaker API holds of the domain's RStudio, and each profile's own RStudio group."""
    row = _rstudio_row(domain)
    if row is None:
        return None
    users = []
    for p in sm.list_user_profiles(DomainIdEquals=domain["DomainId"])["UserProfiles"]:
        u = sm.describe_user_profile(DomainId=domain["DomainId"], UserProfileName=p["UserProfileName"])
        own = dig(u, "UserSettings", "RStudioServerProAppSettings") or {}
        users.append([str(u["UserProfileName"]), str(own.get("AccessStatus", "domain's")), str(own.get("UserGroup", "domain's"))])
    home = domain.get("HomeEfsFileSystemId") or "-"
    return (
        "RStudio\n"
        + table([*_RSTUDIO_HEADERS, "home EFS"], [[*row, str(home)]], indent="  ")
        + "\n\n"
        + table(["user", "RStudio access", "RStudio group"], sorted(users), indent="  ")
    )

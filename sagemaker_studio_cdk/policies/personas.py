"""The personas the library makes IAM for, and the tag that names them."""

from __future__ import annotations

PERSONA_TAG = "studio:persona"
"""Every role the library creates for a persona carries this tag."""

SPACE_OWNER_TAG = "studio:space-owner"
"""Every private space the library declares carries this tag, naming its owner's profile: the one
key ``sagemaker:StartSession`` can be scoped by (it carries no SageMaker condition key). Only the
deploy role may set or remove it (see ``docs/security.md``)."""

DOMAIN_ADMIN = "domain-admin"
"""Runs a domain: settings, user profiles, shared spaces; kept out of private spaces."""

EXECUTION = "execution"
"""The role Studio apps run as, for every user of a domain."""

USER_ACCESS = "user-access"
"""The people who open Studio, each as their own profile."""


CLEANUP = "cleanup"
"""The functions, roles and waiter state machine of a domain's cleanup (``DomainCleanup``): they
may delete every app and, when allowed, every space of the domain, private ones included. No other
persona may invoke them with its own input or change them."""

NETWORK = "network"
"""Roles of the network stack that AWS services assume (VPC flow logs)."""

IMAGE = "image"
"""SageMaker reading a custom image's container: pull from its one repository, nothing else."""

MLFLOW = "mlflow"
"""The role an MLflow App or tracking server runs as (trusted by SageMaker): its artifact prefix and
key, and, with automatic model registration, the Model Registry."""

MLFLOW_APP_FUNCTION = "mlflow-app-function"
"""The functions, roles and waiter state machine of an ``MlflowApp`` custom resource: they may
create, change and delete MLflow apps of the account and Region and pass the app's MLflow role."""

CANVAS_FORECAST = "canvas-forecast"
"""The role Canvas passes to Amazon Forecast (time-series forecasting): the Canvas workspace only."""

CANVAS_BEDROCK = "canvas-bedrock"
"""The role Canvas passes to Amazon Bedrock (fine-tuning foundation models): the Canvas workspace only."""

CANVAS_EMR_SERVERLESS = "canvas-emr-serverless"
"""The role Canvas's EMR Serverless jobs run as: the Canvas workspace only."""

EMR_CROSS_ACCOUNT = "emr-cross-account"
"""A role in an EMR account that a Studio domain's execution role (in another account) assumes to
list and connect to that account's EMR clusters and EMR Serverless applications."""

RSTUDIO_DOMAIN = "rstudio-domain"
"""The domain execution role of RStudio's ``RStudioServerPro`` app (trusted by SageMaker): the Posit
license through License Manager, logs, and restarting this domain's server app."""
SETTINGS = "settings"
"""The functions, role and waiter state machine of a domain's settings custom resource
(``StudioApiSettings``): they may update the settings of one domain, its profiles and spaces, and
pass the roles those settings name to SageMaker. No other persona may invoke them with its own
input or change them."""

PERSONAS: tuple[str, ...] = (
    DOMAIN_ADMIN,
    EXECUTION,
    USER_ACCESS,
    CLEANUP,
    NETWORK,
    IMAGE,
    MLFLOW,
    MLFLOW_APP_FUNCTION,
    CANVAS_FORECAST,
    CANVAS_BEDROCK,
    CANVAS_EMR_SERVERLESS,
    EMR_CROSS_ACCOUNT,
    RSTUDIO_DOMAIN,
    SETTINGS,
)

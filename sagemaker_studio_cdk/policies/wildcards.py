"""Why each Allow statement of the library that has a wildcard needs it, by statement ``Sid``.

cdk-nag's ``AwsSolutions-IAM5`` reports every wildcard in an Allow. The constructs that attach
these statements acknowledge each finding with the reason below
(:func:`~sagemaker_studio_cdk.policies.nag.acknowledge_wildcards`); a statement with a wildcard
and no entry here fails synth, so a new wildcard cannot slip in without one.
"""

from __future__ import annotations

from collections.abc import Mapping

_LIST_ACTIONS = (
    "SageMaker's List actions (ListApps, ListSpaces, ListUserProfiles, ListDomains, ...) have no resource type, "
    "so IAM accepts only Resource '*' for them."
)

WILDCARD_REASONS: Mapping[str, str] = {
    # execution: what apps may do for their own user
    "StudioRead": (
        f"{_LIST_ACTIONS} The Describe and ListTags actions in the same statement only read the metadata the "
        "Studio UI shows; none changes anything."
    ),
    "TagOnCreate": (
        "AddTags on SageMaker resources only as part of the Create call that makes them (Null "
        "sagemaker:TaggingAction false): their names are chosen in Studio at run time, so no narrower ARN exists."
    ),
    "SharedSpacesWithoutOwner": (
        "Spaces are named in Studio at run time; ${sagemaker:DomainId} keeps the statement to the caller's own "
        "domain and the Null sagemaker:OwnerUserProfileArn condition to spaces without an owner (shared ones)."
    ),
    "SpacesOwnedBySelf": (
        "Spaces are named in Studio at run time; ${sagemaker:DomainId} keeps the statement to the caller's own "
        "domain and the ArnLike condition on sagemaker:OwnerUserProfileArn to spaces the caller owns."
    ),
    "AppsInOwnPrivateSpaces": (
        "Apps are named by Studio at run time; ${sagemaker:DomainId} keeps the statement to the caller's own domain "
        "and the conditions to private spaces the caller owns."
    ),
    "AppsInSharedSpaces": (
        "Apps are named by Studio at run time; ${sagemaker:DomainId} keeps the statement to the caller's own domain "
        "and the SpaceSharingType condition to shared spaces."
    ),
    "AppLogs": (
        "SageMaker writes the logs of apps and jobs to log groups and streams under /aws/sagemaker/ that it names "
        "at run time; the statement reaches no other log group."
    ),
    "SharedNotebooksObjects": (
        "Notebook snapshots Studio shares are named at run time; the statement reaches only the keys under the "
        "domain's or profile's notebook-sharing prefix of its bucket."
    ),
    "SharedNotebooksList": (
        "Listing is limited by the s3:prefix condition to the notebook-sharing prefix (the bucket ARN has no wildcard; "
        "the condition value ends in /* to cover its keys)."
    ),
    "S3FileSystemObjects": (
        "Files in an S3 prefix mounted in a space are named by users at run time; the statement reaches only the "
        "keys under the mounted prefix."
    ),
    "S3FileSystemList": (
        "Listing is limited by the s3:prefix condition to the mounted prefix (the condition value ends in /* to cover its keys)."
    ),
    "OwnUserDataObjects": (
        "Objects under the caller's own prefix of the user-data bucket only: ${aws:SourceIdentity} is the caller's "
        "profile name, which Studio sets, and a session without one gets nothing (Null condition)."
    ),
    # user-access: people opening Studio or a remote session from a local IDE
    "RemoteSessionIntoOwnSpaces": (
        "Spaces of this one domain (its id is in the ARN), whichever names they have; the condition keeps the "
        "statement to spaces whose studio:space-owner tag equals the caller's own profile tag, and only the deploy "
        "role may set that tag."
    ),
    # image: SageMaker pulling a custom image
    "EcrAuthorizationToken": (
        "ecr:GetAuthorizationToken has no resource type, so IAM accepts only Resource '*'; the token alone reads "
        "nothing: pulling needs the repository actions, which the image role has on its one repository."
    ),
    # domain-admin: running one domain
    "AdminList": f"{_LIST_ACTIONS} Listing shows names and states only, never a space's files.",
    "AdminDomain": (
        "Profiles, spaces and apps of this one domain (its id is in every ARN); their names are chosen at run time "
        "by users and Studio. The isolation denies keep the statement out of private spaces."
    ),
    "AdminDescribeCode": (
        "Describe only: images, image versions, app image configs and lifecycle configs belong to the account, not "
        "to one domain, and the admin must read them to review what the domain attaches; creating or changing "
        "them is denied."
    ),
    "AdminSharedSpaces": (
        "Shared spaces of this one domain, named at run time; the SpaceSharingType condition keeps the statement to "
        "shared spaces and the isolation denies back it up."
    ),
    # cleanup: a domain's DomainCleanup handler
    "CleanupList": f"{_LIST_ACTIONS} The handler lists the domain's profiles, spaces and apps to find what blocks a delete.",
    "CleanupApps": (
        "Apps of this one domain (its id is in the ARN), named by Studio at run time: the cleanup deletes every app "
        "that blocks deleting a profile or space; volumes stay with their spaces."
    ),
    "CleanupSpaces": (
        "Spaces of this one domain made in Studio at run time, so their names are unknown at deploy time; only "
        "granted when the app allows the cleanup to delete spaces it did not make (delete_unmanaged_spaces)."
    ),
    "CleanupProfiles": (
        "User profiles of this one domain made outside the stack (RStudio's domain-shared, profiles made in the "
        "console), whose names are unknown at deploy time; a profile that owns spaces cannot be deleted."
    ),
    "CleanupHomeEfsRead": (
        "Describe only: the home EFS SageMaker made for the domain has an id known only at run time, and the "
        "handler finds it among the account's file systems by its ManagedByAmazonSageMakerResource tag."
    ),
    "CleanupHomeEfsDelete": (
        "Only file systems tagged ManagedByAmazonSageMakerResource=<this domain's ARN> (aws:ResourceTag), which "
        "SageMaker made for this domain at run time: the home EFS and its mount targets."
    ),
    "CleanupMountTargetInterfaces": (
        "EFS's DeleteMountTarget also deletes the mount target's network interface, made by EFS at run time; only "
        "interfaces in the domain's VPC (ec2:Vpc)."
    ),
    "CleanupNfsGroupsRead": "ec2:DescribeSecurityGroups has no resource type, so IAM accepts only Resource '*'.",
    "CleanupNfsGroupsDelete": (
        "Only security groups tagged ManagedByAmazonSageMakerResource=<this domain's ARN> (aws:ResourceTag), which "
        "SageMaker made for the home EFS at run time."
    ),
    "AdminTagOnCreate": (
        "Tags only while creating a profile or space of this one domain (sagemaker:TaggingAction), whose names are "
        "chosen at run time."
    ),
    # mlflow: an MLflow App's or tracking server's role, the MLflow App handler
    "SettingsProfiles": (
        "The settings function updates the API-only settings of the user profiles of its one domain: one "
        "user-profile/<domain id>/* ARN instead of one per profile, so thousands of profiles fit one policy."
    ),
    "SettingsSpaces": (
        "The settings function updates the API-only settings of the shared spaces of its one domain (the "
        "sagemaker:SpaceSharingType condition keeps it out of private ones): one space/<domain id>/* ARN."
    ),
    "SettingsDescribeSpaces": (
        "The settings function reads back the shared spaces of its one domain after updating them: one "
        "space/<domain id>/* ARN; DescribeSpace carries no sagemaker:SpaceSharingType, so it cannot be narrowed to shared ones."
    ),
    "MlflowArtifacts": (
        "The objects MLflow writes under its own artifact prefix of its own bucket; their keys (run and experiment "
        "ids) are made by MLflow at run time."
    ),
    "MlflowModelRegistration": (
        "Automatic model registration names model package groups after MLflow's registered models "
        "(<model name>-<suffix>), chosen by users at run time; only in this account and Region."
    ),
    "MlflowApps": (
        "An MLflow app's ARN carries an id AWS generates at creation, so no narrower ARN exists before it is made; "
        "only mlflow-app resources of this account and Region."
    ),
    "FeatureStoreRecords": ("Feature groups whose names start with the granted prefix, made by the data team at run time."),
    "FeatureStoreOfflineStore": (
        "The offline store's objects under the granted prefix of its bucket; Feature Store names them by feature "
        "group, date and record."
    ),
    "FeatureStoreGlue": (
        "Tables of the granted Glue database whose names start with the granted prefix (Feature Store names its "
        "tables after the feature groups)."
    ),
    "FeatureStoreList": _LIST_ACTIONS,
    "DataPrepJobs": (
        "Processing jobs Canvas names for data preparation (*canvas-data-prep*) in this account and Region, made at "
        "run time; AWS's AmazonSageMakerCanvasDataPrepFullAccess uses the same name pattern."
    ),
    "DataPrepList": _LIST_ACTIONS,
    "DataPrepPipelines": (
        "Pipelines Canvas names for data preparation (*canvas-data-prep*) in this account and Region, made at run time."
    ),
    "EmrClusters": (
        "EMR clusters are made and named at run time (cluster ids); the statement keeps to this account and Region "
        "and only reads cluster metadata and presigned UI URLs."
    ),
    "EmrServerlessApplications": (
        "EMR Serverless applications are made at run time (application ids); the statement keeps to this account "
        "and Region and only reads them."
    ),
    "EmrRuntimeRoles": (
        "Session credentials on any cluster of this account and Region, only for the runtime roles the condition "
        "elasticmapreduce:ExecutionRoleArn names."
    ),
    "CanvasWorkspace": (
        "Objects under the Canvas workspace prefix (WorkspaceSettings.S3ArtifactPath); Canvas names its artifacts at run time."
    ),
    "EmrDiscovery": (
        "EMR's List actions and EMR Serverless's ListApplications have no resource type, so IAM accepts only "
        "Resource '*' for them; the Describe and Get actions beside them only read cluster metadata."
    ),
    "DataPrepData": "Objects under the granted prefix of the granted bucket; Canvas names flows and outputs at run time.",
    "DataPrepGlue": "Tables of the one granted Glue database, which the data team makes at run time.",
    "DataPrepScheduleCreate": (
        "EventBridge rules for scheduled data-prep jobs are named at run time; only created with the tag "
        "sagemaker:is-canvas-data-prep-job=true."
    ),
    "DataPrepSchedules": "Only EventBridge rules tagged sagemaker:is-canvas-data-prep-job=true.",
    # rstudio: the domain execution role of the RStudioServerPro app
    "RStudioLicense": (
        "License Manager's license and grant ids are made by License Manager and Posit's grant, and "
        "ListReceivedLicenses has no resource type; only the five check-out/check-in calls of AWS's RStudio guide."
    ),
    "RStudioLogs": (
        "SageMaker names the RStudio server's log groups and streams under /aws/sagemaker/ at run time; the "
        "statement reaches no other log group."
    ),
    "RStudioLogDelivery": "CloudWatch Logs' log-delivery calls and DescribeLogGroups have no resource type.",
    "RStudioServerApp": (
        "The server app's name is chosen by SageMaker when it relaunches it; only RStudioServerPro apps of the "
        "domain-shared profile of this one domain."
    ),
    "RStudioServerAppTags": (
        "Tags only while creating this domain's RStudioServerPro app (sagemaker:TaggingAction), whose name SageMaker chooses."
    ),
}

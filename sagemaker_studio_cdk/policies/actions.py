"""IAM actions as data: the tables the statement builders draw from."""

from __future__ import annotations

STUDIO_READ: tuple[str, ...] = (
    "sagemaker:DescribeApp",
    "sagemaker:DescribeDomain",
    "sagemaker:DescribeSpace",
    "sagemaker:DescribeUserProfile",
    "sagemaker:ListApps",
    "sagemaker:ListDomains",
    "sagemaker:ListSpaces",
    "sagemaker:ListTags",
    "sagemaker:ListUserProfiles",
)
"""What the Studio UI reads to list and show spaces and apps (resource ``*`` only: list actions
have no resource type)."""

SPACE_WRITE: tuple[str, ...] = (
    "sagemaker:CreateSpace",
    "sagemaker:UpdateSpace",
    "sagemaker:DeleteSpace",
)

APP_WRITE: tuple[str, ...] = (
    "sagemaker:CreateApp",
    "sagemaker:DeleteApp",
)

PRESIGNED_URL: tuple[str, ...] = ("sagemaker:CreatePresignedDomainUrl",)

TAG_ON_CREATE: tuple[str, ...] = ("sagemaker:AddTags",)

APP_LOGS: tuple[str, ...] = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogStreams",
)

DOMAIN_KEY_USE: tuple[str, ...] = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:CreateGrant",
)
"""What apps need of the domain's KMS key: their EBS volumes and outputs are encrypted with it."""

# -- execution: per-user data ----------------------------------------------------------------------

USER_DATA_OBJECTS: tuple[str, ...] = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
)
"""What a user's session may do with the objects under its own prefix of the user-data bucket."""

USER_DATA_LIST: tuple[str, ...] = ("s3:ListBucket",)

PREFIX_LIST: tuple[str, ...] = ("s3:ListBucket",)
"""Listing a notebook-sharing prefix or a mounted S3 prefix (with an ``s3:prefix`` condition)."""
PREFIX_READ: tuple[str, ...] = ("s3:GetObject",)
"""Reading the objects of a mounted S3 prefix."""
PREFIX_READ_WRITE: tuple[str, ...] = (*PREFIX_READ, "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")
"""Reading and writing the objects of a notebook-sharing prefix or a writable S3 mount."""

# -- domain-admin: what the job needs ------------------------------------------------------------

STUDIO_LIST: tuple[str, ...] = (
    "sagemaker:ListApps",
    "sagemaker:ListAppImageConfigs",
    "sagemaker:ListDomains",
    "sagemaker:ListImages",
    "sagemaker:ListImageVersions",
    "sagemaker:ListSpaces",
    "sagemaker:ListStudioLifecycleConfigs",
    "sagemaker:ListUserProfiles",
)
"""List actions: they have no resource type, so they take resource ``*``."""

STUDIO_DESCRIBE: tuple[str, ...] = (
    "sagemaker:DescribeApp",
    "sagemaker:DescribeDomain",
    "sagemaker:DescribeSpace",
    "sagemaker:DescribeUserProfile",
    "sagemaker:ListTags",
)
"""Metadata of the domain, its profiles, spaces and apps (scoped to the domain's ARNs)."""

STUDIO_DESCRIBE_SHARED_OBJECTS: tuple[str, ...] = (
    "sagemaker:DescribeAppImageConfig",
    "sagemaker:DescribeImage",
    "sagemaker:DescribeImageVersion",
    "sagemaker:DescribeStudioLifecycleConfig",
)
"""Metadata of the account's images and lifecycle configs, which belong to no one domain."""

PROFILE_ADMIN: tuple[str, ...] = (
    "sagemaker:CreateUserProfile",
    "sagemaker:UpdateUserProfile",
    "sagemaker:DeleteUserProfile",
)

DOMAIN_ADMIN: tuple[str, ...] = ("sagemaker:UpdateDomain",)

SHARED_SPACE_ADMIN: tuple[str, ...] = SPACE_WRITE
"""Create, update and delete shared spaces (a condition keeps them to shared ones)."""

APP_STOP: tuple[str, ...] = ("sagemaker:DeleteApp",)
"""Stopping an app (its space and files stay)."""

# -- isolation: what keeps an admin out of private spaces ------------------------------------------

SIGN_IN_AS_USER: tuple[str, ...] = PRESIGNED_URL
"""Signing in to Studio **as** a profile; carries no SageMaker condition key."""

REMOTE_ACCESS: tuple[str, ...] = ("sagemaker:StartSession",)
"""Remote access into a running space; carries no SageMaker condition key."""

SPACE_TAGGING: tuple[str, ...] = ("sagemaker:AddTags", "sagemaker:DeleteTags")
"""Setting or removing a SageMaker resource's tags; denied for the space-owner tag, which scopes StartSession."""

PRIVATE_SPACE_ENTRY: tuple[str, ...] = (
    "sagemaker:CreateApp",
    "sagemaker:CreateSpace",
    "sagemaker:UpdateSpace",
    "sagemaker:DeleteSpace",
)
"""Actions that carry ``sagemaker:SpaceSharingType``, denied unless it is ``Shared``."""

SETTINGS_THAT_ATTACH_CODE: tuple[str, ...] = (
    "sagemaker:CreateApp",
    "sagemaker:CreateSpace",
    "sagemaker:UpdateSpace",
    "sagemaker:CreateUserProfile",
    "sagemaker:UpdateUserProfile",
    "sagemaker:UpdateDomain",
)
"""Actions that attach lifecycle configs and images; each carries ``sagemaker:StudioLifecycleConfigArns``,
``sagemaker:ImageArns`` and ``sagemaker:ImageVersionArns``."""

SETTINGS_THAT_ATTACH_SECURITY_GROUPS: tuple[str, ...] = (
    "sagemaker:CreateUserProfile",
    "sagemaker:UpdateUserProfile",
    "sagemaker:UpdateDomain",
)
"""Actions that carry ``sagemaker:VpcSecurityGroupIds``."""

CODE_SUPPLY: tuple[str, ...] = (
    "sagemaker:CreateStudioLifecycleConfig",
    "sagemaker:DeleteStudioLifecycleConfig",
    "sagemaker:CreateImage",
    "sagemaker:UpdateImage",
    "sagemaker:DeleteImage",
    "sagemaker:CreateImageVersion",
    "sagemaker:UpdateImageVersion",
    "sagemaker:DeleteImageVersion",
    "sagemaker:CreateAppImageConfig",
    "sagemaker:UpdateAppImageConfig",
    "sagemaker:DeleteAppImageConfig",
)
"""Making or changing the code that runs in spaces: lifecycle scripts and images. None of them
carries a condition key that could tell an approved change from another."""

IMAGE_PUSH: tuple[str, ...] = (
    "ecr:PutImage",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:BatchDeleteImage",
    "ecr:PutImageTagMutability",
    "ecr:SetRepositoryPolicy",
    "ecr:DeleteRepositoryPolicy",
    "ecr:PutReplicationConfiguration",
    "ecr:PutRegistryPolicy",
)
"""Writing to the container repositories behind images (a new image under an approved tag)."""

ROLE_USE: tuple[str, ...] = ("iam:PassRole",)
"""Handing a role to a service: with a user's execution role, a job runs code as that user."""

IDENTITY_FORGERY: tuple[str, ...] = (
    "iam:TagRole",
    "iam:UntagRole",
    "iam:TagUser",
    "iam:UntagUser",
    "sts:TagSession",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateServiceSpecificCredential",
)
"""Forging the principal tag user access relies on, or taking over a person's IAM user."""

ROLE_ASSUMPTION: tuple[str, ...] = ("sts:AssumeRole",)
"""Becoming another role: a user's access role, or the CDK deploy role (which trusts the account)."""

SECURITY_GROUP_OPENING: tuple[str, ...] = (
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:ModifySecurityGroupRules",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
)
"""Changing what may reach the network interfaces of users' apps."""

ROLE_SELF_EDIT: tuple[str, ...] = (
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:UpdateAssumeRolePolicy",
)
"""Changing a role's own policies, boundary or trust."""

POLICY_VERSIONS: tuple[str, ...] = (
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:DeletePolicyVersion",
    "iam:DeletePolicy",
)
"""Rewriting a managed policy (the boundary) in place."""

PRINCIPAL_CREATION: tuple[str, ...] = ("iam:CreateRole", "iam:CreateUser")
"""Making a new principal: allowed at most with the admin's own boundary attached."""

USER_BOUNDARY_EDIT: tuple[str, ...] = ("iam:PutUserPermissionsBoundary", "iam:DeleteUserPermissionsBoundary")

# -- isolation, every shape (issue 11): what the SCP and grant_admin must close too ----------------

NETWORK_PLACEMENT: tuple[str, ...] = (
    "ec2:RunInstances",
    "ec2:CreateNetworkInterface",
    "ec2:ModifyNetworkInterfaceAttribute",
    "ec2:ModifyInstanceAttribute",
)
"""Putting an instance or a network interface into a security group: inside the group users'
apps trust, it reaches them as an app would."""

USER_AND_GROUP_WIDENING: tuple[str, ...] = (
    "iam:PutUserPolicy",
    "iam:AttachUserPolicy",
    "iam:AddUserToGroup",
    "iam:PutGroupPolicy",
    "iam:AttachGroupPolicy",
)
"""Widening an IAM user or group: that user could then sign in as any profile."""

SOURCE_IDENTITY_SETTING: tuple[str, ...] = ("sts:SetSourceIdentity",)
"""Setting a session's source identity: the per-user data prefix is keyed on it."""

IDENTITY_CENTER: tuple[str, ...] = ("sso:*", "sso-directory:*", "identitystore:*")
"""IAM Identity Center: who is assigned to a domain's application, and which Identity Center user
a person is. In an SSO-mode domain that mapping is the sign-in."""

BUCKET_POLICY_EDIT: tuple[str, ...] = (
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
)
"""Rewriting who may read a bucket (the users' data bucket among them)."""

USER_DATA_READ_WRITE: tuple[str, ...] = (
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
)
"""Reading or changing objects under a user's prefix of the data bucket."""

FUNCTION_TAMPERING: tuple[str, ...] = (
    "lambda:InvokeFunction",
    "lambda:InvokeAsync",
    "lambda:InvokeFunctionUrl",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:UpdateFunctionEventInvokeConfig",
    "lambda:UpdateFunctionUrlConfig",
    "lambda:UpdateAlias",
    "lambda:DeleteFunction",
    "lambda:DeleteFunctionConcurrency",
    "lambda:DeleteFunctionEventInvokeConfig",
    "lambda:DeleteFunctionUrlConfig",
    "lambda:DeleteAlias",
    "lambda:AddPermission",
    "lambda:RemovePermission",
    "lambda:PutFunctionConcurrency",
    "lambda:PutFunctionEventInvokeConfig",
    "lambda:PutFunctionRecursionConfig",
    "lambda:PublishVersion",
    "lambda:CreateAlias",
    "lambda:CreateFunctionUrlConfig",
    "lambda:TagResource",
    "lambda:UntagResource",
)
"""Running a library function (a custom resource's handler) with one's own input, or changing its
code, configuration, permissions or tags. Each carries ``aws:ResourceTag`` on the function."""

FUNCTION_BINDING: tuple[str, ...] = ("lambda:CreateEventSourceMapping", "lambda:UpdateEventSourceMapping")
"""Feeding a function from a queue or stream: the request names the function only in
``lambda:FunctionArn``, not as a resource whose tags IAM sees, so it is denied outright."""

STATE_MACHINE_TAMPERING: tuple[str, ...] = (
    "states:StartExecution",
    "states:StartSyncExecution",
    "states:UpdateStateMachine",
    "states:DeleteStateMachine",
    "states:PublishStateMachineVersion",
    "states:TagResource",
    "states:UntagResource",
)
"""Starting a library state machine (the Provider framework's waiter) with one's own input, or
changing it. Each carries ``aws:ResourceTag`` on the state machine."""

ROLE_TAMPERING: tuple[str, ...] = (
    *("iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"),
    *("iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy"),
    *("iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:DeleteRole", "iam:PassRole"),
    *("iam:TagRole", "iam:UntagRole"),
)
"""Changing, passing or deleting a library role (every one carries ``studio:persona``)."""

SETTINGS_WRITES: tuple[str, ...] = (
    "sagemaker:UpdateDomain",
    "sagemaker:CreateUserProfile",
    "sagemaker:UpdateUserProfile",
    "sagemaker:CreateSpace",
    "sagemaker:UpdateSpace",
)
"""Writing domain, profile or space settings: some of them (a built-in lifecycle config, custom
images by name, an S3 mount's path, file systems) carry no condition key IAM could filter on."""

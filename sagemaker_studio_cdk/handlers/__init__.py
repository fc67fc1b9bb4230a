"""Custom-resource handlers: plain Python on boto3, run by Lambda behind CDK's provider framework
and in-process by :mod:`sagemaker_studio_cdk.testing`.

Each module is self-contained (no imports from this package or the library): the Lambda asset is
this folder as it is, so a handler string ``cleanup.on_event`` names ``cleanup.py`` here.
``mlflow_app.py`` and ``api_settings.py`` each go in an asset of their own, with boto3/botocore
copied from the installation (``constructs/mlflow.py``'s ``handler_asset``): Lambda's own lag the
MLflow App API and the newest settings members.
"""

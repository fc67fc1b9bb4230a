#!/usr/bin/env bash
# The demo's own time, once set-up is done (venv, node_modules and cdk.out from `make synth`):
# the moto server, cdk bootstrap, cdk deploy, the read-back, cdk destroy. Target: under 60 s on 2 cores.
# Usage: benchmarks/demo.sh   (from anywhere; runs in the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true
make --no-print-directory setup synth > /dev/null 2>&1 || { echo "make setup synth failed" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s%N)
if ! .venv/bin/python -m sagemaker_studio_cdk.demo --app cdk.out > "$log" 2>&1; then
    cat "$log"
    echo "demo failed" >&2
    exit 1
fi
end=$(date +%s%N)
grep -E '^==> |^    done in' "$log"
elapsed=$(( (end - start) / 1000000 ))
printf "demo: %d.%01d s (target: under 60 s)\n" $((elapsed / 1000)) $((elapsed % 1000 / 100))

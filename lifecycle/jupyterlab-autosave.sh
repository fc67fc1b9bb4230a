#!/bin/bash
# JupyterLab start-up script of the example domain: runs as the app's user at every app start.
# - JupyterLab saves open notebooks every 60 seconds, so idle shutdown never loses unsaved work.
# - conda never tries to update itself: a VPC-only domain has no route to the internet.
set -euo pipefail

settings="$HOME/.jupyter/lab/user-settings/@jupyterlab/docmanager-extension"
mkdir -p "$settings"
cat > "$settings/plugin.jupyterlab-settings" <<'JSON'
{ "autosave": true, "autosaveInterval": 60 }
JSON

if command -v conda >/dev/null 2>&1; then
  conda config --set auto_update_conda false
fi

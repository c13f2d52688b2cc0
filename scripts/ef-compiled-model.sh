#!/usr/bin/env bash
# Regenerates the EF compiled models (one per engine) after a model change:
#   bash scripts/ef-compiled-model.sh        (from anywhere; builds Grantex.Console first)
# Writes Grantex.Core/Persistence/CompiledModels/{Sqlite,PostgreSQL} with `dotnet ef dbcontext optimize` and deletes the
# generated *AssemblyAttributes.cs (each engine's IDatabaseProvider.Configure picks its own model with UseModel; two
# assembly-level attributes for one context would clash). CompiledModelTests (tests/Grantex.Core.Tests) fail until
# this has run. The PostgreSQL model needs no server: the connection string is never opened.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet build Grantex.Console -v q -nologo
for engine in Sqlite PostgreSQL; do
  args=()
  if [[ "$engine" == PostgreSQL ]]; then
    args=(-- --Grantex:Database:Provider=PostgreSQL "--ConnectionStrings:Grantex=Host=x;Database=y")
  fi
  rm -rf "Grantex.Core/Persistence/CompiledModels/$engine"
  dotnet ef dbcontext optimize --project Grantex.Core --startup-project Grantex.Console \
    --output-dir "Persistence/CompiledModels/$engine" --namespace "Grantex.Core.Persistence.CompiledModels.$engine" \
    --no-build "${args[@]}" >/dev/null
  rm -f "Grantex.Core/Persistence/CompiledModels/$engine/"*AssemblyAttributes.cs
done
echo "compiled models regenerated: Grantex.Core/Persistence/CompiledModels/{Sqlite,PostgreSQL}"

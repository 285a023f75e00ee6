#!/usr/bin/env bash
# Builds and runs every test project, then prints one line "N passed, N failed".
# Test models and golden vectors are in the repository (tests/fixtures, models/); PADKERNEL_MODELS and PADKERNEL_GOLDEN
# may point the tests at other copies.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The fixtures are pinned by sha256: a damaged clone is one clear line, not hundreds of failing tests.
for sums in "$root/tests/fixtures/SHA256SUMS" "$root/models/SHA256SUMS" "$root/models/stories260K/SHA256SUMS"; do
  if ! (cd "$(dirname "$sums")" && sha256sum --quiet -c "$(basename "$sums")" >/dev/null 2>&1); then
    echo "test data damaged or missing: $(cd "$(dirname "$sums")" && sha256sum --quiet -c "$(basename "$sums")" 2>&1 | head -3 | tr '\n' ' ')(check the clone; see tests/fixtures/README.md)"
    echo "0 passed, 1 failed"; exit 1
  fi
done

# Everything the tests need beyond NuGet (node test clients) is fetched by setup.sh.
if [ -x "$root/scripts/setup.sh" ]; then
  "$root/scripts/setup.sh" || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# A throwaway PostgreSQL cluster for the PostgreSQL preference-store tests, unless PADKERNEL_POSTGRES names one;
# removed on exit, whatever happens.
if [ -z "${PADKERNEL_POSTGRES:-}" ]; then
  source "$root/scripts/postgres.sh"
  trap pg_throwaway_stop EXIT
  trap 'exit 130' INT TERM
  pg_throwaway_start || { echo "postgres: cannot start a throwaway cluster"; echo "0 passed, 1 failed"; exit 1; }
fi

results="$root/.artifacts/test-results"
rm -rf "$results"
dotnet test "$root/PadKernel.sln" -c Release --logger "trx" --results-directory "$results" "$@"
rc=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A build failure runs no test: count it as a failure so the line never reads green.
if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ $rc -eq 0 ] && [ $failed -eq 0 ]

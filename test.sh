#!/usr/bin/env bash
# Builds the solution with warnings as errors, runs every test project, and prints one summary line:
#   N passed, N failed[, N skipped]
# Exits non-zero when a test failed, the test run broke, or no test ran at all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/lib/deps.sh
source scripts/lib/deps.sh

deps_dotnet_environment
deps_ensure_dotnet_sdk 10
# `time` (GNU time): the 1 GiB attachment test reads each sdlg run's peak memory from /usr/bin/time.
deps_ensure_apt libsodium23 ca-certificates postgresql time
# The secretariat pages' browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
deps_ensure_apt chromium
# The identity tests start the real OpenID provider (npm oidc-provider, scripts/oidc): Node.js and its packages.
deps_ensure_node
scripts/oidc.sh install
# The JavaScript SignalR client test (tests/Messaging.Tests/js): @microsoft/signalr from its lock file.
js_tests=tests/Messaging.Tests/js
if [ ! -f "$js_tests/node_modules/.package-lock.json" ] || [ "$js_tests/package-lock.json" -nt "$js_tests/node_modules/.package-lock.json" ]; then
  echo "test.sh: npm ci in $js_tests"
  (cd "$js_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi

# A throwaway PostgreSQL 15 on 127.0.0.1 for the persistence and server tests, deleted when the run ends.
pg_started=0
s3_started=0
# One EXIT trap stops every service this run started (a second `trap ... EXIT` would replace the first).
stop_services() {
  if [ "$pg_started" -eq 1 ]; then
    scripts/postgres.sh stop || true
  fi
  if [ "$s3_started" -eq 1 ]; then
    scripts/s3.sh stop >/dev/null 2>&1 || true
  fi
}
trap stop_services EXIT
if ! scripts/postgres.sh url >/dev/null 2>&1; then
  pg_started=1
fi
SDLG_TEST_POSTGRES="$(scripts/postgres.sh start)"
export SDLG_TEST_POSTGRES

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

echo "test.sh: building SecureDialogue.sln (Release, warnings as errors)"
dotnet build SecureDialogue.sln -c Release -warnaserror -nologo -v minimal

# The blob-store tests run against a real S3 server too: a throw-away Ceph RGW on 127.0.0.1, stopped on exit.
# SDLG_TEST_S3=external uses the S3_* variables already set instead (another S3-compatible server).
if [ "${SDLG_TEST_S3:-ceph}" != external ]; then
  s3_started=1
  echo "test.sh: starting Ceph RGW (scripts/s3.sh start)"
  s3_settings=$(scripts/s3.sh start)
  while IFS='=' read -r key value; do
    case "$key" in S3_ENDPOINT|S3_ACCESS_KEY|S3_SECRET_KEY|S3_REGION) export "$key=$value" ;; esac
  done <<<"$s3_settings"
fi

echo "test.sh: running tests"
test_status=0
# One run per project with a fixed result file name, so no two projects can overwrite each other's counts.
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  status=0
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
  if [ "$status" -ne 0 ]; then test_status=$status; fi
done

# Sum the counters of every .trx file (one per test project).
passed=0 failed=0 skipped=0 files=0
shopt -s nullglob
for trx in "$results"/*.trx "$results"/*/*.trx; do
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  count() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  # Skipped tests are counted in total but not in executed.
  skipped=$((skipped + $(count total) - $(count executed)))
done
shopt -u nullglob

exit_code=0
if [ "$test_status" -ne 0 ]; then
  echo "test.sh: dotnet test exited with $test_status" >&2
  exit_code=1
fi
if [ "$files" -eq 0 ]; then
  echo "test.sh: no test results were written to $results" >&2
  exit_code=1
elif [ $((passed + failed)) -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit_code=1
fi
if [ "$failed" -ne 0 ]; then
  exit_code=1
fi

if [ "$skipped" -ne 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$exit_code"

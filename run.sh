#!/usr/bin/env bash
# Builds and starts what exists of SecureDialogue: for now the Messaging server.
#   ./run.sh [--urls URL] [--data DIR] [-- extra server arguments]
# Defaults: --urls http://127.0.0.1:5080, --data ./.data (created, owner-only). An empty data directory is seeded
# with ILLUSTRATIVE demo data (States parties, reviews in several stages) for the secretariat's pages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/lib/deps.sh
source scripts/lib/deps.sh

usage() {
  sed -n '2,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

urls="http://127.0.0.1:5080"
data="./.data"
extra=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --urls) [ "$#" -ge 2 ] || { echo "run.sh: --urls needs a value" >&2; exit 2; }; urls="$2"; shift 2 ;;
    --urls=*) urls="${1#--urls=}"; shift ;;
    --data) [ "$#" -ge 2 ] || { echo "run.sh: --data needs a value" >&2; exit 2; }; data="$2"; shift 2 ;;
    --data=*) data="${1#--data=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

deps_dotnet_environment
deps_ensure_dotnet_sdk 10
deps_ensure_apt libsodium23 ca-certificates

echo "run.sh: building src/Messaging (Release)"
dotnet build src/Messaging/Messaging.csproj -c Release -warnaserror -nologo -v quiet

mkdir -p "$data"
chmod 700 "$data"
data="$(cd "$data" && pwd)"

echo "run.sh: SecureDialogue Messaging on $urls (data: $data); Ctrl+C stops it"
echo "run.sh: secretariat pages at ${urls%/}/secretariat: development sign-in as 'secretariat' with 'Secretariat staff' ticked"
echo "run.sh: the demo data (States parties, reviews) is illustrative, not an authoritative record of ratifications"
exec dotnet src/Messaging/bin/Release/net10.0/SecureDialogue.Messaging.dll \
  --urls "$urls" --Data:Directory "$data" --Server:DemoData true ${extra[@]+"${extra[@]}"}

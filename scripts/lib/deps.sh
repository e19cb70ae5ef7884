# shellcheck shell=bash
# Dependency checks shared by ./test.sh and ./run.sh. Source it; do not run it.
#
#   deps_ensure_apt PACKAGE...   installs missing Debian packages when root (one `apt-get update` at most);
#                                without root, names the packages to install and exits 1.
#   deps_ensure_dotnet_sdk MAJOR checks that a .NET SDK of that major version is installed; if not, says how
#                                to install it and exits 1 (it cannot be downloaded by these scripts).
#   deps_ensure_node [MIN]       makes sure `node` (at least version MIN, default 20.18.0) and `npm` are on the
#                                PATH; installs the Debian packages nodejs and npm when they are missing.
#
# Messages go to standard error, prefixed with "deps: ".

_deps_apt_updated=0

deps_say() {
  printf 'deps: %s\n' "$*" >&2
}

deps_die() {
  printf 'deps: %s\n' "$*" >&2
  exit 1
}

# True when the Debian package is installed (not merely known or half-removed).
deps_has_apt_package() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

deps_ensure_apt() {
  local missing=() package
  for package in "$@"; do
    if ! command -v dpkg-query >/dev/null 2>&1 || ! deps_has_apt_package "$package"; then
      missing+=("$package")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi

  if ! command -v apt-get >/dev/null 2>&1; then
    deps_die "missing: ${missing[*]} (Debian package names). This system has no apt-get: install the equivalent packages with its package manager."
  fi
  if [ "$(id -u)" -ne 0 ]; then
    deps_die "missing Debian package(s): ${missing[*]}. Install with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi

  if [ "$_deps_apt_updated" -eq 0 ]; then
    deps_say "apt-get update"
    apt-get update -qq >&2 || deps_die "apt-get update failed"
    _deps_apt_updated=1
  fi
  deps_say "installing Debian package(s): ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || deps_die "apt-get install ${missing[*]} failed"
  for package in "${missing[@]}"; do
    deps_has_apt_package "$package" || deps_die "$package is still not installed after apt-get install"
    deps_say "installed $package"
  done
}

deps_ensure_dotnet_sdk() {
  local major="${1:-10}"
  if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q "^${major}\."; then
    return 0
  fi
  {
    printf 'deps: the .NET SDK %s is required but was not found' "$major"
    if command -v dotnet >/dev/null 2>&1; then
      printf ' (installed SDKs: %s)' "$(dotnet --list-sdks 2>/dev/null | cut -d' ' -f1 | paste -sd, -)"
    fi
    printf '.\n'
    cat <<MSG
deps: install it from Microsoft's Debian package feed (Debian 12), as root:
deps:   wget https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb -O /tmp/packages-microsoft-prod.deb
deps:   dpkg -i /tmp/packages-microsoft-prod.deb && rm /tmp/packages-microsoft-prod.deb
deps:   apt-get update && apt-get install -y dotnet-sdk-${major}.0
deps: see https://learn.microsoft.com/dotnet/core/install/linux-debian
MSG
  } >&2
  exit 1
}

# Node.js for the development OpenID provider (scripts/oidc). npm oidc-provider 9 calls crypto.hash and
# URL.parse, which Node.js has since 20.18 (and 22.x); Debian 12's own nodejs is 18.x, too old for it.
# shellcheck disable=SC2120 # the minimum version is optional
deps_ensure_node() {
  local minimum="${1:-20.18.0}"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    # Install only what is missing: a Node.js from another source (NodeSource) bundles its own npm.
    local wanted=()
    command -v node >/dev/null 2>&1 || wanted+=(nodejs)
    command -v npm >/dev/null 2>&1 || wanted+=(npm)
    deps_ensure_apt "${wanted[@]}"
  fi
  command -v node >/dev/null 2>&1 || deps_die "node is still not on the PATH after installing nodejs"
  command -v npm >/dev/null 2>&1 || deps_die "npm is still not on the PATH after installing npm"

  local version
  version="$(node --version 2>/dev/null)"
  version="${version#v}"
  if ! _deps_version_at_least "$version" "$minimum"; then
    deps_die "Node.js $minimum or newer is required (found $version). Debian 12's nodejs is 18.x: install Node.js 20 or 22 (Debian 13's nodejs, or NodeSource's nodejs package) and run again."
  fi
}

# True when dotted version $1 >= $2 (numeric parts only).
_deps_version_at_least() {
  local i
  local -a have need
  IFS=. read -r -a have <<<"$1"
  IFS=. read -r -a need <<<"$2"
  for i in 0 1 2; do
    local h="${have[$i]:-0}" n="${need[$i]:-0}"
    h="${h%%[!0-9]*}" n="${n%%[!0-9]*}"
    if [ "${h:-0}" -gt "${n:-0}" ]; then return 0; fi
    if [ "${h:-0}" -lt "${n:-0}" ]; then return 1; fi
  done
  return 0
}

# Quiet, reproducible dotnet CLI defaults for the scripts.
deps_dotnet_environment() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1
  export DOTNET_NOLOGO=1
  export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
  # In CI, leave no MSBuild worker nodes running after the build.
  if [ "${CI:-}" = "true" ]; then
    export MSBUILDDISABLENODEREUSE=1
  fi
}

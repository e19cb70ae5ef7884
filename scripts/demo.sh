#!/usr/bin/env bash
# Plays a review dialogue with sdlg against the embedded server and checks that every party saw exactly what it should.
#   scripts/demo.sh [--data DIR] [--text TEXT] [--url URL] [--no-build] [--keep]
#     --data DIR   the server's data directory (default: a temporary one); passed to the server the demo starts
#     --text TEXT  the request for clarification the reviewer sends (default: a sentence with a random marker)
#     --url URL    use the server at URL when it answers there (default http://127.0.0.1:5080) and keeps its data
#                  in --data DIR (or no --data was given); otherwise the demo starts one on a free loopback port with
#                  --data DIR and stops it at the end
#     --no-build   use the builds already in src/*/bin (tests do this; $SDLG_BUILD_CONFIGURATION, default Release)
#     --keep       keep the temporary directory (profiles, outputs, server log) and print where it is
# Exits 0 only when every check passed: each text reached exactly its readers, the State under review did not see
# the reviewers' channel, the secretariat saw metadata only (sdlg and the server refused it the channels), and no
# text appears in the data directory (database, blobs) or in the server log; then the State under review's focal
# point publishes the answer without its annex and the reply, the public portal shows exactly that, the portal's
# record verifies offline and a tampered copy does not, and a withdrawn publication says so.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
# shellcheck source=scripts/lib/deps.sh
source scripts/lib/deps.sh

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

url="http://127.0.0.1:5080"
data=""
text=""
build=1
keep=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --data) [ "$#" -ge 2 ] || { echo "demo.sh: --data needs a directory" >&2; exit 2; }; data="$2"; shift 2 ;;
    --data=*) data="${1#--data=}"; shift ;;
    --text) [ "$#" -ge 2 ] || { echo "demo.sh: --text needs a value" >&2; exit 2; }; text="$2"; shift 2 ;;
    --text=*) text="${1#--text=}"; shift ;;
    --url) [ "$#" -ge 2 ] || { echo "demo.sh: --url needs a value" >&2; exit 2; }; url="$2"; shift 2 ;;
    --url=*) url="${1#--url=}"; shift ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
url="${url%/}"

deps_dotnet_environment
deps_ensure_dotnet_sdk 10
deps_ensure_apt libsodium23 ca-certificates curl

command_timeout=120   # seconds for one sdlg command
start_timeout=90      # seconds for the server to start

work="$(mktemp -d "${TMPDIR:-/tmp}/sdlg-demo.XXXXXX")"
chmod 700 "$work"
profiles="$work/profiles"
out="$work/out"
mkdir -p "$profiles" "$out"
server_pid=""
server_log=""

cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$keep" -eq 1 ]; then
    echo "demo.sh: kept $work (profiles, outputs, server log)" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

section() {
  printf '\n==== %s ====\n' "$*"
}

# ---- the texts of the dialogue ---------------------------------------------------------------------------------
marker="$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
if [ -z "$text" ]; then
  text="Request for clarification: how does section 12 of the Penal Code apply to legal persons? (demo marker $marker)"
fi
if [ "${#text}" -lt 8 ]; then
  echo "demo.sh: --text must be at least 8 characters, so that looking for it in the data directory means something" >&2
  exit 2
fi
answer="SAQ answer, article 5: participation in an organized criminal group is an offence under section 12 of the Penal Code ($marker-a)."
reply="Clarification: since 2021, section 12(3) makes legal persons liable as well ($marker-r)."
reviewers_1="Reviewers only: I suggest we also ask about asset recovery ($marker-1)."
reviewers_2="Agreed, I will draft the asset recovery question ($marker-2)."
# The answer's second segment, which fay (NAM's focal point) withholds when she publishes the answer.
answer_withheld="Annex to the answer, not for publication: case figures by district for 2023 ($marker-w)."
all_texts=("$answer" "$answer_withheld" "$text" "$reply" "$reviewers_1" "$reviewers_2")
# What stays confidential after the publications: every text but the published answer and reply.
unpublished_texts=("$answer_withheld" "$text" "$reviewers_1" "$reviewers_2")

# ---- build and server --------------------------------------------------------------------------------------------
if [ "$build" -eq 1 ]; then
  section "Build"
  dotnet build src/Messaging/Messaging.csproj -c "${SDLG_BUILD_CONFIGURATION:-Release}" -warnaserror -nologo -v quiet
  dotnet build src/Cli/Cli.csproj -c "${SDLG_BUILD_CONFIGURATION:-Release}" -warnaserror -nologo -v quiet
fi
configuration="${SDLG_BUILD_CONFIGURATION:-Release}"
server_dll="$root/src/Messaging/bin/$configuration/net10.0/SecureDialogue.Messaging.dll"
sdlg_dll="$root/src/Cli/bin/$configuration/net10.0/sdlg.dll"
for built in "$server_dll" "$sdlg_dll"; do
  [ -f "$built" ] || { echo "demo.sh: $built is missing: run without --no-build" >&2; exit 1; }
done

section "Server"
healthy() {
  curl -fsS --max-time 3 "$1/healthz" >/dev/null 2>&1
}
# A running server is used when it is the one --data names (its database is there) or no --data was given;
# otherwise the demo starts its own with --data DIR, so that DIR is the directory it checks.
reuse=0
if healthy "$url" && { [ -z "$data" ] || compgen -G "$data/*.db" >/dev/null; }; then
  reuse=1
fi
if [ "$reuse" -eq 1 ]; then
  echo "Using the server already running at $url."
  if [ -z "$data" ]; then
    echo "demo.sh: warning: pass --data DIR (that server's data directory) to check it for plaintext" >&2
  fi
else
  if [ -z "$data" ]; then
    data="$work/data"
  fi
  mkdir -p "$data"
  chmod 700 "$data"
  data="$(cd "$data" && pwd)"
  server_log="$work/server.log"
  if healthy "$url"; then
    echo "The server at $url does not keep its data in $data: starting another one on a free loopback port."
  fi
  echo "Starting the embedded server on a free loopback port (data: $data)."
  dotnet "$server_dll" --urls "http://127.0.0.1:0" --data "$data" >"$server_log" 2>&1 &
  server_pid=$!
  url=""
  for _ in $(seq 1 $((start_timeout * 5))); do
    kill -0 "$server_pid" 2>/dev/null || { echo "demo.sh: the server exited during start:" >&2; cat "$server_log" >&2; exit 1; }
    url="$(sed -n 's/.*listening on \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' "$server_log" | head -n 1)"
    if [ -n "$url" ] && healthy "$url"; then break; fi
    url=""
    sleep 0.2
  done
  [ -n "$url" ] || { echo "demo.sh: the server did not start within ${start_timeout}s:" >&2; cat "$server_log" >&2; exit 1; }
  echo "Server: $url (log: $server_log)"
fi
if [ -n "$data" ]; then data="$(cd "$data" && pwd)"; fi

# Each run signs in a new cast (sam-RUN, ana-RUN, ...): trust on first use pins the first focal point device a
# review shows, so reusing the names of an earlier run against the same server would mix that run's devices in.
run="${marker:0:6}"
user() { printf '%s-%s' "$1" "$run"; }

# ---- sdlg helpers ----------------------------------------------------------------------------------------------
unset SDLG_PROFILE SDLG_SERVER
SDLG_PASSPHRASE="demo $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export SDLG_PASSPHRASE

# as WHO ARGS...: runs sdlg with WHO's profile; stdout and stderr go to the terminal.
as() {
  local who=$1
  shift
  timeout "$command_timeout" dotnet "$sdlg_dll" --profile "$profiles/$who" "$@"
}

# view WHO NAME ARGS...: runs sdlg as WHO, saves stdout in $out/WHO-NAME.txt (shown indented), records the exit code.
view() {
  local who=$1 name=$2
  shift 2
  local status=0
  as "$who" "$@" >"$out/$who-$name.txt" 2>"$out/$who-$name.err" || status=$?
  echo "$status" >"$out/$who-$name.rc"
  echo "--- $who: sdlg $* (exit $status)"
  sed 's/^/    /' "$out/$who-$name.txt"
  if [ -s "$out/$who-$name.err" ]; then sed 's/^/    (stderr) /' "$out/$who-$name.err"; fi
}

section "Participants: device keys and sign-in"
echo "sam: secretariat; fay: focal point of NAM (State under review); ana: expert of NAM designated by fay;"
echo "ben: focal point of GHA; chen: focal point of FRA (reviewing States, each its own State's only participant)"
echo "(user names for this run: $(user sam), $(user fay), $(user ana), $(user ben), $(user chen))"
for who in sam fay ana ben chen; do
  as "$who" keys init --kdf-profile interactive >/dev/null
  if [ "$who" = sam ]; then
    as "$who" login --server "$url" --dev-user "$(user "$who")" --secretariat >/dev/null
  else
    as "$who" login --server "$url" --dev-user "$(user "$who")" >/dev/null
  fi
  echo "$who: keys created, signed in, device registered ($(as "$who" whoami --json | sed -n 's/.*"deviceId": *"\([0-9a-f]*\)".*/\1/p' | head -n 1))"
done

section "Secretariat: sam creates the review"
as sam reviews create --title "Demo review of NAM ($marker)" --reviewed NAM --reviewing GHA --reviewing FRA --language en \
  --member "$(user ben):GHA:focal-point" --member "$(user chen):FRA:focal-point" --json >"$out/created.json"
review="$(sed -n 's/.*"reviewId": *"\([0-9a-f-]*\)".*/\1/p' "$out/created.json" | head -n 1)"
[ -n "$review" ] || { echo "demo.sh: no review id in the answer:" >&2; cat "$out/created.json" >&2; exit 1; }
echo "Review $review: NAM under review; GHA and FRA reviewing."
echo "sam registers fay as NAM's focal point, with the note verbale that nominated her"
as sam reviews focal-point --review "$review" --state NAM --user "$(user fay)" --name "Fay (NAM focal point)" --nomination "NV/NAM/$run/1" >/dev/null

section "States: focal points publish their trust roots and certify their experts"
for who in fay ben chen; do
  as "$who" members --review "$review" >/dev/null
  echo "$who published the root statement of their device"
done
ana_device="$(as ana whoami --json | sed -n 's/.*"deviceId": *"\([0-9a-f]*\)".*/\1/p' | head -n 1)"
ana_fingerprint="$(as ana whoami --json | sed -n 's/.*"fingerprint": *"\([0-9 ]*\)".*/\1/p' | head -n 1)"
echo "ana gives fay her device id and fingerprint ($ana_device, $ana_fingerprint); fay compares and certifies it"
as fay certify "$ana_device" --review "$review" --role expert --fingerprint "$ana_fingerprint" --reference "NV/NAM/$run/2"
view fay members members --review "$review"

section "Dialogue"
echo "ana (NAM) posts the answer to the self-assessment questionnaire in 'dialogue'"
as ana send dialogue "$answer" --segment "$answer_withheld" --review "$review" --kind questionnaire-response
echo "ben (GHA) asks for clarification in 'dialogue'"
as ben send dialogue "$text" --review "$review" --kind request-for-clarification
echo "ana reads the request, then replies"
as ana read dialogue --review "$review" --since 1 >/dev/null
as ana send dialogue "$reply" --review "$review" --kind clarification
echo "ben and chen (the reviewing States) talk in 'reviewers'"
as ben send reviewers "$reviewers_1" --review "$review"
as chen send reviewers "$reviewers_2" --review "$review"

section "What each participant sees"
for who in ana ben chen; do
  for channel in dialogue reviewers; do
    view "$who" "$channel" read "$channel" --review "$review"
    as "$who" read "$channel" --review "$review" --json >"$out/$who-$channel.json" 2>/dev/null || true
  done
done

section "What the secretariat sees"
view sam show reviews show "$review"
view sam dialogue read dialogue --review "$review"
view sam reviewers read reviewers --review "$review"
token="$(sed -n 's/.*"access_token": *"\([^"]*\)".*/\1/p' "$profiles/sam/tokens.json" | head -n 1)"
api_status="$(curl -sS -o "$out/sam-api.txt" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $token" \
  "$url/api/reviews/$review/channels/dialogue/envelopes?after=0" || true)"
echo "--- sam: GET /api/reviews/$review/channels/dialogue/envelopes with sam's token: HTTP $api_status"
sed 's/^/    /' "$out/sam-api.txt"; echo

section "Sealing: the secretariat seals the archive; a participant verifies it offline and decrypts it"
view sam seal archive seal --review "$review" --json
bundle_name="$(sed -n 's/.*"name": *"\([^"]*\)".*/\1/p' "$out/sam-seal.txt" | head -n 1)"
as ana archive checkpoint --review "$review" --json >"$out/ana-checkpoint.json" 2>/dev/null || true
log_key="$(tr -d '\n' <"$out/ana-checkpoint.json" | sed -n 's/.*"logKeys": *\[ *"\([^"]*\)".*/\1/p')"
sealed="$work/sealed"
mkdir -p "$sealed"
view ana fetch archive fetch "${bundle_name:-none}" --review "$review" --out "$sealed/review.sdlb"
echo "ana verifies the bundle offline (no server), trusting the log key ana's device pinned: ${log_key:-?}"
view ana verify verify bundle "$sealed/review.sdlb" --log-key "${log_key:-none}"
view ana decrypt verify bundle "$sealed/review.sdlb" --decrypt --out "$sealed/ana" --log-key "${log_key:-none}"
cp "$sealed/review.sdlb" "$sealed/changed.sdlb"
printf '\x00' | dd of="$sealed/changed.sdlb" bs=1 seek=$(( $(stat -c %s "$sealed/review.sdlb") / 2 )) conv=notrunc status=none
if cmp -s "$sealed/review.sdlb" "$sealed/changed.sdlb"; then
  printf '\x01' | dd of="$sealed/changed.sdlb" bs=1 seek=$(( $(stat -c %s "$sealed/review.sdlb") / 2 )) conv=notrunc status=none
fi
view ana tampered verify bundle "$sealed/changed.sdlb" --log-key "${log_key:-none}"

section "Publication: fay (NAM's focal point) publishes the answer without its annex, and the reply"
view fay publish-answer publish dialogue:1 --segments 0 --audience public --review "$review" --json
view fay publish-reply publish dialogue:3 --audience public --review "$review" --json
json_field() { tr -d '\n' <"$out/$1.txt" | sed -n "s/.*\"$2\": *\"\([^\"]*\)\".*/\1/p"; }
answer_page="$(json_field fay-publish-answer pageUrl)"
answer_record="$(json_field fay-publish-answer recordUrl)"
reply_page="$(json_field fay-publish-reply pageUrl)"
reply_id="$(json_field fay-publish-reply publicationId)"
portal() { curl -sS --max-time 30 -o "$out/$1.html" -w '%{http_code}' "$2" 2>/dev/null || true; }
portal_index_status="$(portal portal-index "$url/publications?lang=en")"
portal_answer_status="$(portal portal-answer "${answer_page:-$url/publications/none}?lang=en")"
portal_arabic_status="$(portal portal-answer-ar "${answer_page:-$url/publications/none}?lang=ar")"
echo "--- the portal (no sign-in): index HTTP $portal_index_status, answer page HTTP $portal_answer_status, Arabic HTTP $portal_arabic_status"
echo "ben verifies the published answer offline from the portal's download, trusting the log key: ${log_key:-?}"
view ben verify-publication verify publication "${answer_record:-$url/none}" --archive-key "${log_key:-none}"
curl -sS --max-time 30 -o "$work/answer.sdpub" "${answer_record:-$url/none}" 2>/dev/null || true
cp "$work/answer.sdpub" "$work/changed.sdpub" 2>/dev/null || : >"$work/changed.sdpub"
size="$(stat -c %s "$work/changed.sdpub")"
printf '\x00' | dd of="$work/changed.sdpub" bs=1 seek=$(( size / 3 )) conv=notrunc status=none
if cmp -s "$work/answer.sdpub" "$work/changed.sdpub"; then printf '\x01' | dd of="$work/changed.sdpub" bs=1 seek=$(( size / 3 )) conv=notrunc status=none; fi
view ben verify-tampered verify publication "$work/changed.sdpub" --archive-key "${log_key:-none}"
echo "fay withdraws the reply's publication; the portal keeps the page and says so"
view fay withdraw publish --withdraw "${reply_id:-none}" --review "$review"
portal_reply_status="$(portal portal-reply "${reply_page:-$url/publications/none}?lang=en")"

# ---- checks ----------------------------------------------------------------------------------------------------
section "Checks"
checks=0
failures=0
check() {
  local description=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "  ok    $description"
  else
    echo "  FAIL  $description"
    failures=$((failures + 1))
  fi
}
# has FILE TEXT: every non-blank line of TEXT is in FILE.
has() {
  local file=$1 line
  while IFS= read -r line; do
    [ -z "${line//[[:space:]]/}" ] && continue
    grep -qF -- "$line" "$file" || return 1
  done <<<"$2"
}
lacks() { ! has "$@"; }
exit_code_is() { [ "$(cat "$out/$1.rc")" = "$2" ]; }
count_is() { [ "$(grep -c "\"status\": \"$3\"" "$out/$1-$2.json" || true)" = "$4" ]; }
no_markers() { ! grep -qE '^#[0-9]+  !|^! ALERT' "$out/$1.txt"; }

sees_dialogue() {
  local f="$out/$1-dialogue.txt"
  has "$f" "$answer" && has "$f" "$answer_withheld" && has "$f" "$text" && has "$f" "$reply"
}
dialogue_exact() { exit_code_is "$1-dialogue" 0 && count_is "$1" dialogue verified 3 && no_markers "$1-dialogue"; }
no_reviewers_text() { lacks "$out/$1.txt" "$reviewers_1" && lacks "$out/$1.txt" "$reviewers_2"; }
sees_reviewers() {
  local f="$out/$1-reviewers.txt"
  exit_code_is "$1-reviewers" 0 && has "$f" "$reviewers_1" && has "$f" "$reviewers_2" && count_is "$1" reviewers verified 2 && no_markers "$1-reviewers"
}
no_dialogue_text() { lacks "$out/$1.txt" "$answer" && lacks "$out/$1.txt" "$text" && lacks "$out/$1.txt" "$reply"; }
sam_refused_channels() { exit_code_is sam-dialogue 7 && exit_code_is sam-reviewers 7; }
sam_sees_metadata() {
  exit_code_is sam-show 0 && grep -qE "dialogue +epoch 0 +last sequence 3 " "$out/sam-show.txt" && grep -qE "reviewers +epoch 0 +last sequence 2 " "$out/sam-show.txt"
}
sam_lacks() {
  local f
  for f in "$out"/sam-*; do lacks "$f" "$1" || return 1; done
}

for who in ana ben chen; do
  check "$who sees the SAQ answer, the request for clarification and the reply in 'dialogue'" sees_dialogue "$who"
  check "$who's 'dialogue' holds exactly 3 verified items, with no marker or alert" dialogue_exact "$who"
  check "$who's 'dialogue' view shows no message of the reviewers' channel" no_reviewers_text "$who-dialogue"
done
for who in ben chen; do
  check "$who sees both reviewers' messages in 'reviewers' (exactly 2 verified items, no marker)" sees_reviewers "$who"
  check "$who's 'reviewers' view shows nothing of 'dialogue'" no_dialogue_text "$who-reviewers"
done
check "ana (State under review) is refused the 'reviewers' channel (exit 7)" exit_code_is ana-reviewers 7
certified_by_fay() { exit_code_is fay-members 0 && grep -qF "certified as expert by $(user fay)" "$out/fay-members.txt"; }
check "fay's member listing shows ana's device certified by her" certified_by_fay
check "ana sees none of the reviewers' messages" no_reviewers_text ana-reviewers
check "sam (secretariat) is refused 'dialogue' and 'reviewers' by sdlg (exit 7)" sam_refused_channels
check "the server refuses sam the envelopes of 'dialogue' (HTTP 403)" [ "$api_status" = 403 ]
check "sam's review view shows the channels' metadata (3 items in 'dialogue', 2 in 'reviewers')" sam_sees_metadata
for t in "${all_texts[@]}"; do
  check "sam sees no text: '${t:0:48}...' is in none of sam's outputs" sam_lacks "$t"
done

# No plaintext at rest or in logs: the data directory (SQLite database and its WAL, blobs), the server log, and the
# participants' profiles (client state).
# absent_from PLACE [TEXT...]: no line of any TEXT (default: every text of the demo) is in PLACE.
absent_from() {
  local place=$1 t line
  shift
  local texts=("$@")
  [ "${#texts[@]}" -gt 0 ] || texts=("${all_texts[@]}")
  [ -e "$place" ] || return 0
  for t in "${texts[@]}"; do
    while IFS= read -r line; do
      [ -z "${line//[[:space:]]/}" ] && continue
      if grep -rqaF -- "$line" "$place"; then
        echo "        found in $place: '${line:0:60}'"
        return 1
      fi
    done <<<"$t"
  done
}
has_database() {
  if compgen -G "$data/*.db" >/dev/null; then return 0; fi
  echo "        no database under $data: is it the data directory of the server at $url?"
  return 1
}
if [ -n "$data" ]; then
  check "the data directory $data holds the server's database" has_database
  check "no unpublished text (nor the withheld annex, nor --text) anywhere under the data directory $data" absent_from "$data" "${unpublished_texts[@]}"
else
  echo "  skip  the data directory (unknown: pass --data DIR of the running server)"
fi
if [ -n "$server_log" ]; then
  check "no text in the server log" absent_from "$server_log"
else
  echo "  skip  the server log (the demo did not start the server)"
fi
check "no text in the participants' profiles (keys, tokens, client state)" absent_from "$profiles"
published_answer_ok() {
  local f="$out/portal-answer.html"
  [ "$portal_answer_status" = 200 ] && has "$f" "$answer" && lacks "$f" "$answer_withheld" && grep -qF 'Withheld by the reviewed State' "$f"
}
portal_index_ok() { [ "$portal_index_status" = 200 ] && [ -n "$answer_page" ] && grep -qF "/publications/${answer_page##*/}" "$out/portal-index.html"; }
arabic_ok() { [ "$portal_arabic_status" = 200 ] && grep -qF 'dir="rtl"' "$out/portal-answer-ar.html" && lacks "$out/portal-answer-ar.html" "$answer_withheld"; }
withdrawn_ok() { exit_code_is fay-withdraw 0 && [ "$portal_reply_status" = 200 ] && has "$out/portal-reply.html" "$reply" && grep -qF 'withdrew this publication' "$out/portal-reply.html"; }
check "fay published the answer (segment 0 of 2) and the reply (exit 0)" [ "$(cat "$out/fay-publish-answer.rc")" = 0 -a "$(cat "$out/fay-publish-reply.rc")" = 0 ]
check "the public portal's index lists the published answer (no sign-in)" portal_index_ok
check "the answer's portal page shows the answer, marks the withheld segment, and lacks the annex" published_answer_ok
check "the Arabic portal page is right to left (dir=\"rtl\") and lacks the annex" arabic_ok
check "sdlg verify publication accepts the portal's record download (exit 0)" exit_code_is ben-verify-publication 0
check "the record with one byte changed fails verification (exit 1)" exit_code_is ben-verify-tampered 1
check "fay withdrew the reply's publication; its page still shows it and says it was withdrawn" withdrawn_ok
check "the withheld annex is in no portal page" lacks "$out/portal-index.html" "$answer_withheld"
sealed_transcript_ok() {
  local f="$sealed/ana/transcript.html"
  [ -f "$f" ] && has "$f" "$answer" && has "$f" "$text" && has "$f" "$reply" && lacks "$f" "$reviewers_1" && lacks "$f" "$reviewers_2"
}
check "sam (secretariat) sealed the review's archive (exit 0, a bundle name)" [ "$(cat "$out/sam-seal.rc")" = 0 -a -n "$bundle_name" ]
check "ana fetched the sealed bundle, its SHA-256 matching the receipt (exit 0)" exit_code_is ana-fetch 0
check "the bundle verifies offline against the pinned log key (sdlg verify bundle, exit 0)" exit_code_is ana-verify 0
check "ana's decrypted transcript holds the dialogue and nothing of 'reviewers'" sealed_transcript_ok
check "the bundle with one byte changed fails verification (exit 1)" exit_code_is ana-tampered 1

echo
if [ "$failures" -ne 0 ]; then
  echo "demo.sh: $failures of $checks checks FAILED"
  exit 1
fi
echo "demo.sh: all $checks checks passed"

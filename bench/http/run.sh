#!/usr/bin/env bash
# HTTP benchmark of LipService's /predict with wrk (see bench/http/README.md).
# Builds Release, starts the server on 127.0.0.1:$PORT with a fresh data directory, trains a model,
# times POST /jobs -> first SSE epoch event, writes the request bodies, runs the wrk runs (single JSON,
# 256-digit JSON, PNG upload, single JSON during training, 256 digits through the Open Inference
# Protocol as binary tensor data and as JSON), records RSS, stops the server, and prints a Markdown
# summary (also saved as summary.md in the results directory).
#
# Environment: PORT (5090), DATA_DIR (/tmp/lipservice-bench-data; emptied first unless KEEP_DATA=1; only
# paths under /tmp are ever deleted), MNIST_DIR (<repo>/../shared/data/mnist), RESULTS (bench/http/results/<time>),
# DURATION (15, seconds per wrk run), SKIP_BUILD=1, QUIET_PCT (20) and QUIET_WAIT_S (120): before each
# measurement wait up to QUIET_WAIT_S for other processes to use at most QUIET_PCT % of a core;
# TRIES (3) and NOISY_PCT (25): repeat a wrk run whose window saw more than NOISY_PCT % of other work.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PORT=${PORT:-5090}
BASE=http://127.0.0.1:$PORT
DATA_DIR=${DATA_DIR:-/tmp/lipservice-bench-data}
MNIST_DIR=${MNIST_DIR:-$(cd "$ROOT/.." && pwd)/shared/data/mnist}
RESULTS=${RESULTS:-$HERE/results/$(date +%Y%m%d-%H%M%S)}
DURATION=${DURATION:-15}
QUIET_PCT=${QUIET_PCT:-20}
QUIET_WAIT_S=${QUIET_WAIT_S:-120}
NOISY_PCT=${NOISY_PCT:-25}
TRIES=${TRIES:-3}
DLL=$ROOT/src/LipService.Api/bin/Release/net10.0/LipService.Api.dll
WRK=(wrk -t2 -c32 "-d${DURATION}s" --latency)

SERVER_PID="" JOB_ID="" POLL_PID=""
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cleanup() {
  set +e
  [[ -n $POLL_PID ]] && kill "$POLL_PID" 2>/dev/null
  if [[ -n $JOB_ID && -n $SERVER_PID ]]; then curl -s -o /dev/null -X DELETE "$BASE/jobs/$JOB_ID"; fi
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -9 "$SERVER_PID"
    log "server $SERVER_PID stopped"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || die "wrk not found: apt-get install -y wrk"
command -v curl >/dev/null || die "curl not found"
mkdir -p "$RESULTS"
log "results in $RESULTS"

# 1. build and start
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building Release"
  (cd "$ROOT" && dotnet build src/LipService.Api -c Release -nologo -v q) > "$RESULTS/build.log" 2>&1 \
    || { tail -20 "$RESULTS/build.log" >&2; die "build failed"; }
fi
[[ -f $DLL ]] || die "$DLL missing (build first)"
curl -s -o /dev/null -m 2 "$BASE/health/ready" && die "something already listens on $BASE"
if [[ ${KEEP_DATA:-0} != 1 && $DATA_DIR == /tmp/?* ]]; then rm -rf "$DATA_DIR"; fi

log "starting server on $BASE"
dotnet "$DLL" --urls "$BASE" --Data:Directory "$DATA_DIR" --Mnist:Directory "$MNIST_DIR" \
  --Mnist:Download false --Serving:PredictPermitsPerSecond 0 > "$RESULTS/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 120); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready") == 200 ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$RESULTS/server.log" >&2; die "server exited"; }
  [[ $i == 120 ]] && die "server not ready after 60 s"
  sleep 0.5
done
rss() { ps -o rss= -p "$SERVER_PID" | tr -d ' '; }
echo "after_start=$(rss)" > "$RESULTS/rss.txt"
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "duration=${DURATION}s"
  echo "cpus=$(nproc)"
  echo "commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD -- src 2>/dev/null || echo '+changes')"
} > "$RESULTS/meta.txt"
: > "$RESULTS/checks.txt"
check() { echo "$1=$2" >> "$RESULTS/checks.txt"; log "check $1: $2"; }

wait_quiet() {  # wait (bounded) until other processes leave the cores alone
  local out
  if out=$(python3 "$HERE/cpu-watch.py" --wait-quiet "$QUIET_PCT" "$QUIET_WAIT_S" "$SERVER_PID"); then
    log "machine quiet (others $(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["others_pct"])' "$out")%)"
  else
    log "WARNING: machine still busy after ${QUIET_WAIT_S}s: $out"
  fi
}

# 2. train a model (timed: cold first epoch), then 3 more jobs for warm SSE timings
: > "$RESULTS/sse.jsonl"
wait_quiet
log "training the model (epochs 10, seed 42)"
python3 "$HERE/sse-first-epoch.py" --base "$BASE" --repeat 1 | python3 -c \
  'import json,sys; [print(json.dumps(dict(json.loads(l), cold=True))) for l in sys.stdin]' >> "$RESULTS/sse.jsonl"
MODEL=$(curl -s "$BASE/models" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["items"][0]["id"] if d.get("items") else "")')
[[ -n $MODEL ]] || die "no model after training (see $RESULTS/server.log)"
check "model" "$MODEL"
for i in 1 2 3; do
  wait_quiet
  python3 "$HERE/sse-first-epoch.py" --base "$BASE" --repeat 1 >> "$RESULTS/sse.jsonl"
done

# 3. bodies
python3 "$HERE/make-bodies.py" "$MNIST_DIR" "$HERE" > "$RESULTS/bodies.txt"
for b in single.json:json:1 batch256.json:json:256 png.body:png:1; do
  IFS=: read -r file kind n <<< "$b"
  if [[ $kind == json ]]; then ct=application/json
  else ct="multipart/form-data; boundary=$(sed -n 's/^local boundary = "\(.*\)"$/\1/p' "$HERE/post-png.lua")"; fi
  code=$(curl -s -o "$RESULTS/$file.response.json" -w '%{http_code}' -X POST "$BASE/predict" -H "Content-Type: $ct" --data-binary "@$HERE/$file")
  got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["predictions"]; assert isinstance(p,list); print(len(p), "predictions, first label", p[0]["label"], "score", p[0]["score"])' "$RESULTS/$file.response.json" 2>/dev/null || echo "INVALID")
  check "response $file" "HTTP $code, $got (expected $n)"
  [[ $code == 200 && $got == "$n "* ]] || die "bad /predict response for $file"
done
# The Open Inference Protocol runs name the model: /predict without one would follow the default alias.
INFER=/v2/models/$MODEL/infer
code=$(curl -s -o "$RESULTS/oip256.bin.response" -w '%{http_code}' -X POST "$BASE$INFER" -H 'Content-Type: application/octet-stream' \
  -H "Inference-Header-Content-Length: $(cat "$HERE/oip256.bin.header")" --data-binary "@$HERE/oip256.bin")
got=$(python3 "$HERE/check-oip-binary.py" "$RESULTS/oip256.bin.response" 256 2>&1 || true)
check "response oip256.bin" "HTTP $code, $got"
[[ $code == 200 && $got == "256 labels"* ]] || die "bad binary inference response (see $RESULTS/oip256.bin.response)"
code=$(curl -s -o "$RESULTS/oip256.json.response.json" -w '%{http_code}' -X POST "$BASE$INFER" -H 'Content-Type: application/json' --data-binary "@$HERE/oip256.json")
[[ $code == 200 ]] || die "bad JSON inference response: HTTP $code (see $RESULTS/oip256.json.response.json)"
check "response oip256.json" "HTTP $code"

# 4. wrk runs. Other work on the machine skews the figures, so a run whose window saw other processes use
# more than NOISY_PCT % of a core is repeated (up to TRIES attempts); the quietest attempt is kept.
job_field() { curl -s "$BASE/jobs/$JOB_ID" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
start_job() {  # a 300-epoch job for run d; returns once it is running
  JOB_ID=$(curl -s -X POST "$BASE/jobs" -H 'Content-Type: application/json' -d '{"epochs":300}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for _ in $(seq 120); do [[ $(job_field status) == running ]] && break; sleep 0.5; done
  [[ $(job_field status) == running ]] || die "job $JOB_ID not running"
}
stop_job() {  # cancel run d's job, record what it did during the run
  local out=$1 s
  curl -s -o /dev/null -X DELETE "$BASE/jobs/$JOB_ID"
  for _ in $(seq 60); do s=$(job_field status); [[ $s != running && $s != queued ]] && break; sleep 0.5; done
  echo "after DELETE: $s" >> "$out"
  JOB_ID=""
}
run_wrk() {  # name script body path [job]
  local name=$1 script=$2 body=$3 path=$4 job=${5:-} try best="" best_others=100000 others w e0 e1 polls running after
  for try in $(seq "$TRIES"); do
    wait_quiet
    if [[ -n $job ]]; then
      start_job
      e0=$(job_field epochsCompleted)
      # status poll once a second; curl + sed only, to keep the poller's own CPU use small
      ( while true; do
          echo "$(date +%T.%N | cut -c1-12) $(curl -s "$BASE/jobs/$JOB_ID" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')"
          sleep 1
        done ) > "$RESULTS/$name.$try.job.txt" 2>&1 &
      POLL_PID=$!
    fi
    log "wrk $name (attempt $try)"
    python3 "$HERE/cpu-watch.py" "$((DURATION - 1))" "$SERVER_PID" "$RESULTS/$name.$try.cpu.json" > /dev/null &
    w=$!
    "${WRK[@]}" -s "$script" "$BASE$path" -- "$body" > "$RESULTS/$name.$try.wrk.txt"
    wait "$w" || true
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -5 "$RESULTS/server.log" >&2; die "the server exited during $name (see $RESULTS/server.log)"; }
    if [[ -n $job ]]; then
      kill "$POLL_PID"; wait "$POLL_PID" 2>/dev/null || true; POLL_PID=""
      after=$(job_field status); e1=$(job_field epochsCompleted)
      polls=$(grep -c . "$RESULTS/$name.$try.job.txt" || true); running=$(grep -c ' running$' "$RESULTS/$name.$try.job.txt" || true)
      echo "job $JOB_ID: running in $running/$polls status polls during wrk, $after right after wrk, epochs $e0 -> $e1 during the run" \
        > "$RESULTS/$name.$try.job-check.txt"
      stop_job "$RESULTS/$name.$try.job-check.txt"
      if [[ $running != "$polls" || $after != running ]]; then
        local err
        err=$(curl -s "$BASE/jobs/$(sed -n 's/^job \([0-9a-f]*\):.*/\1/p' "$RESULTS/$name.$try.job-check.txt")" \
          | python3 -c 'import json,sys; print((json.load(sys.stdin).get("error") or "")[:160].replace("\n", " "))')
        check "$name attempt $try discarded" "$(head -1 "$RESULTS/$name.$try.job-check.txt"); error: ${err:-none}"
        continue
      fi
    fi
    grep -E 'Requests/sec|Non-2xx|Socket errors' "$RESULTS/$name.$try.wrk.txt" >&2 || true
    others=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["others_pct"])' "$RESULTS/$name.$try.cpu.json")
    log "other processes used ${others}% of a core during the run"
    # socket errors make an attempt the last choice
    if grep -q 'Socket errors' "$RESULTS/$name.$try.wrk.txt"; then others=$((others + 10000)); fi
    if (( others < best_others )); then best=$try; best_others=$others; fi
    if (( others <= NOISY_PCT )); then break; fi
  done
  [[ -n $best ]] || die "no valid attempt for $name"
  for f in wrk.txt cpu.json job.txt job-check.txt; do
    if [[ -f $RESULTS/$name.$best.$f ]]; then cp "$RESULTS/$name.$best.$f" "$RESULTS/$name.$f"; fi
  done
  check "$name" "kept attempt $best of $try (other processes $((best_others % 10000))% of a core)$([[ -f $RESULTS/$name.job-check.txt ]] && echo "; $(tr '\n' ' ' < "$RESULTS/$name.job-check.txt")")"
}
echo "before_runs=$(rss)" >> "$RESULTS/rss.txt"
run_wrk a-single "$HERE/post-json.lua" "$HERE/single.json" /predict
run_wrk b-batch256 "$HERE/post-json.lua" "$HERE/batch256.json" /predict
run_wrk c-png "$HERE/post-png.lua" "$HERE/png.body" /predict
run_wrk d-single-training "$HERE/post-json.lua" "$HERE/single.json" /predict job
run_wrk e-oip-binary256 "$HERE/post-oip-binary.lua" "$HERE/oip256.bin" "$INFER"
run_wrk f-oip-json256 "$HERE/post-json.lua" "$HERE/oip256.json" "$INFER"
echo "after_runs=$(rss)" >> "$RESULTS/rss.txt"
echo "peak_VmHWM=$(awk '/VmHWM/{print $2}' /proc/"$SERVER_PID"/status)" >> "$RESULTS/rss.txt"
check "requests logged by the server" "$(grep -c 'HTTP POST /predict' "$RESULTS/server.log" || true) lines in server.log"

cleanup; SERVER_PID=""
python3 "$HERE/report.py" "$RESULTS" | tee "$RESULTS/summary.md"

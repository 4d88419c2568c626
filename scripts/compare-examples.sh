#!/usr/bin/env bash
# Runs every example pipeline in public/examples with `insight run` and, given a second folder,
# compares the outputs: byte for byte for every file but *.history.csv, whose wall-clock seconds
# column is dropped before comparing.
#   scripts/compare-examples.sh run DIR            write DIR/<example>/... for every example
#   scripts/compare-examples.sh diff BEFORE AFTER  compare two such folders, one line per example
#   scripts/compare-examples.sh BEFORE AFTER       run into AFTER, then compare with BEFORE
# Examples that read ../shared/data are skipped, saying so, when that folder is absent.
# Extra `insight run` flags can be passed in INSIGHT_RUN_FLAGS (default: --workers 0).
set -u
cd "$(dirname "$0")/.."
data=../shared/data
flags=${INSIGHT_RUN_FLAGS:---workers 0}

input_for() {
  case "$1" in
    customer-insight) echo "" ;;
    groceries-recommend) echo "load1=$data/groceries/groceries_long.csv" ;;
    groceries-rules) echo "load1=$data/groceries/groceries.csv" ;;
    online-retail-*) echo "load1=$data/online-retail/online_retail_sample.csv" ;;
    online-shoppers) echo "load1=$data/online-shoppers/online_shoppers_intention.csv" ;;
    telco-churn) echo "load1=$data/telco-churn/Telco-Customer-Churn.csv" ;;
    *) echo "UNKNOWN" ;;
  esac
}

run_all() {
  local out=$1 status=0
  mkdir -p "$out"
  for file in public/examples/*.json; do
    local name input
    name=$(basename "$file" .json)
    input=$(input_for "$name")
    if [ "$input" = UNKNOWN ]; then echo "$name: no input binding in scripts/compare-examples.sh; add one"; status=1; continue; fi
    if [ -n "$input" ] && [ ! -f "${input#*=}" ]; then echo "$name: skipped, ${input#*=} is absent"; continue; fi
    rm -rf "${out:?}/$name"
    local start=$SECONDS
    if npx insight run "$file" ${input:+--input "$input"} --out "$out/$name" $flags >"$out/$name.log" 2>&1; then
      echo "$name: ran in $((SECONDS - start)) s"
    else
      echo "$name: FAILED (see $out/$name.log)"; status=1
    fi
  done
  return $status
}

# A history file without its seconds column (the header names it).
strip_seconds() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seconds") col = i }
           { line = ""; for (i = 1; i <= NF; i++) if (i != col) line = line (line == "" ? "" : ",") $i; print line }' "$1"
}

diff_all() {
  local before=$1 after=$2 status=0
  for dir in "$before"/*/; do
    local name
    name=$(basename "$dir")
    if [ ! -d "$after/$name" ]; then echo "$name: missing in $after"; status=1; continue; fi
    local problems=""
    if ! diff -r -q -x '*.history.csv' "$before/$name" "$after/$name" >/dev/null; then
      problems=$(diff -r -q -x '*.history.csv' "$before/$name" "$after/$name")
    fi
    local histories=0
    while IFS= read -r h; do
      [ -z "$h" ] && continue
      histories=$((histories + 1))
      local rel=${h#"$before/$name/"}
      if [ ! -f "$after/$name/$rel" ]; then problems="$problems"$'\n'"missing $rel"; continue; fi
      if ! diff -q <(strip_seconds "$h") <(strip_seconds "$after/$name/$rel") >/dev/null; then
        problems="$problems"$'\n'"$rel differs (seconds column ignored)"
      fi
    done < <(find "$before/$name" -name '*.history.csv')
    local files
    files=$(find "$before/$name" -type f | wc -l)
    if [ -z "$problems" ]; then
      echo "$name: identical ($files files; $histories history file(s) compared without seconds)"
    else
      echo "$name: DIFFERS"; echo "$problems" | sed '/^$/d; s/^/  /'; status=1
    fi
  done
  return $status
}

case "${1:-}" in
  run) run_all "$2" ;;
  diff) diff_all "$2" "$3" ;;
  '') echo "usage: $0 run DIR | diff BEFORE AFTER | BEFORE AFTER"; exit 2 ;;
  *) run_all "$2"; r=$?; diff_all "$1" "$2" && exit $r ;;
esac

#!/usr/bin/env bash
# Peak memory of `i797 scan` on the largest inputs (issue: bounded resources): a 14000×10500
# phone photo, a 1000-page scanned PDF and a 3000-page text PDF, each alone, with --jobs 1 and 2,
# and all three together. Peak = maximum resident set of the process (GNU time's %M).
# Usage: bench/memory.sh            (needs GNU time: apt install time)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin i797 --example memory_inputs
target/release/examples/memory_inputs "$work/in"
i797=target/release/i797

printf '%-24s %5s %10s %8s %8s\n' input jobs peak_MiB rows seconds
measure() { # label jobs paths...
  local label="$1" jobs="$2"; shift 2
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$i797" scan --quiet --no-store --jobs "$jobs" -o "$work/out.csv" "$@" \
    2>"$work/err" || [ $? -eq 1 ]
  end=$(date +%s%N)
  printf '%-24s %5s %10s %8s %8s\n' "$label" "$jobs" "$(($(tail -1 "$work/rss") / 1024))" \
    "$(($(wc -l < "$work/out.csv") - 1))" "$(((end - start) / 1000000000))"
}
for jobs in 1 2; do
  measure photo-14000x10500.jpg "$jobs" "$work/in/photo-14000x10500.jpg"
  measure scans-1000-pages.pdf "$jobs" "$work/in/scans-1000-pages.pdf"
  measure text-3000-pages.pdf "$jobs" "$work/in/text-3000-pages.pdf"
done
measure all-three "2" "$work/in"
ls -l "$work/in" | awk 'NR > 1 { printf "input %-24s %6.1f MB\n", $9, $5 / 1e6 }'

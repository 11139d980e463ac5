#!/usr/bin/env bash
# Measures the OCR stage (see bench/ocr.md): pages per second and CPU seconds per page for
# 1 vs 2 workers, with and without the OpenMP limit, and field region first vs whole page.
# Needs poppler-utils (scripts/setup --bench). Usage: bench/ocr.sh [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
repeat="${1:-2}"
pages="$(mktemp -d)"
trap 'rm -rf "$pages"' EXIT

# Eight notices from samples/text, rendered as a scanner would: 300-dpi bilevel TIFF and
# 300-dpi grey JPEG (16 pages).
for name in i797c-receipt-i130-eac i797a-approval-i129-wac i797c-receipt-i129-wac-legacy \
  i797c-biometrics-i485-msc-legacy i797c-receipt-i485-msc i797-approval-i140-src \
  i797c-receipt-n400-ioe i797c-transfer-i539-ysc; do
  pdftoppm -r 300 -mono -tiff -tiffcompression lzw -f 1 -l 1 -singlefile \
    "samples/text/$name.pdf" "$pages/$name"
  pdftoppm -r 300 -gray -jpeg -jpegopt quality=75 -f 1 -l 1 -singlefile \
    "samples/text/$name.pdf" "$pages/$name"
done

cargo build --release --quiet --example ocr_bench
bench=target/release/examples/ocr_bench
run() { "$bench" --repeat "$repeat" "$@" "$pages"/*.tif "$pages"/*.jpg | tail -1; }

echo "# OpenMP (field region first)"
run --workers 2
run --workers 2 --no-openmp-limit
OMP_THREAD_LIMIT=1 run --workers 2 --no-openmp-limit | sed 's/^/OMP_THREAD_LIMIT=1 set before start: /'
run --workers 1
run --workers 1 --no-openmp-limit
echo "# Field region first vs whole page (2 workers)"
run --workers 2 --read-all
run --workers 2 --whole-page
echo "# Page segmentation (2 workers, whole page read)"
for psm in 3 4 6; do run --workers 2 --read-all --psm "$psm"; done

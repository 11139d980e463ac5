#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (git-ignored) with seed inputs: the repository's samples, the shared
# robustness corpus when it is there (read in place, never copied into the repository), and tiny
# pictures made here with ImageMagick. Safe to run again: files are named by content.
#   fuzz/collect-seeds.sh [WILD_DIR]   (default: ../shared/corpus/wild beside the repository)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
wild="${1:-$repo/../shared/corpus/wild}"
[ -d "$wild" ] || wild="/work/shared/corpus/wild"
corpus="$here/corpus"
mkdir -p "$corpus/pdf_pages" "$corpus/image_pages" "$corpus/extract"

# Inputs above this size slow every mutation down; the small ones reach the same code.
max_bytes=$((300 * 1024))

seed() { # seed TARGET FILE
    local size
    size=$(stat -c %s "$2")
    if [ "$size" -gt 0 ] && [ "$size" -le "$max_bytes" ]; then
        cp "$2" "$corpus/$1/$(sha1sum "$2" | cut -c1-16)"
    fi
}

shopt -s nullglob
for f in "$repo"/samples/*/*.pdf "$wild"/*.pdf; do seed pdf_pages "$f"; done
for f in "$repo"/samples/images/* "$repo"/samples/photos/* "$wild"/*.{tif,tiff,jpg,jpeg,png,bmp,gif,webp,jp2}; do
    seed image_pages "$f"
done

# Tiny pictures in every format and variant the reader handles: decoding them is quick.
if command -v convert >/dev/null; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    convert -size 96x64 xc:white -fill black -draw "rectangle 10,10 80,30" -density 200 "$tmp/base.png"
    convert "$tmp/base.png" -monochrome -compress Group4 "$tmp/g4.tif"
    convert "$tmp/base.png" -monochrome -compress Fax "$tmp/g3.tif"
    convert "$tmp/base.png" -compress LZW "$tmp/lzw.tif"
    convert "$tmp/base.png" -compress None -endian MSB "$tmp/msb.tif"
    convert "$tmp/base.png" "$tmp/base.png" "$tmp/base.png" -monochrome -compress Group4 "$tmp/pages.tif"
    convert "$tmp/base.png" -quality 50 "$tmp/plain.jpg"
    convert "$tmp/base.png" -quality 50 -orient RightTop "$tmp/exif6.jpg"
    convert "$tmp/base.png" -quality 50 -interlace JPEG "$tmp/progressive.jpg"
    convert "$tmp/base.png" -monochrome "$tmp/bilevel.png"
    convert "$tmp/base.png" -type TrueColorAlpha "$tmp/rgba.png"
    convert "$tmp/base.png" -monochrome "$tmp/bilevel.bmp"
    convert "$tmp/base.png" -type TrueColor "$tmp/rgb.bmp"
    convert "$tmp/base.png" "$tmp/plain.gif"
    convert "$tmp/base.png" "$tmp/plain.webp" 2>/dev/null || true
    convert "$tmp/base.png" "$tmp/plain.jp2" 2>/dev/null || true
    # A BigTIFF, if this ImageMagick writes them.
    convert "$tmp/base.png" -compress LZW "TIFF64:$tmp/big.tif" 2>/dev/null || true
    for f in "$tmp"/*; do seed image_pages "$f"; done
fi

# Extraction: the text layers of the text samples, laid out, as a PDF text layer ("0" first) and
# as OCR text with full confidence ("1" first). See fuzz_targets/extract.rs for the layout.
if command -v pdftotext >/dev/null; then
    for f in "$repo"/samples/text/*.pdf "$repo"/samples/other/*.pdf; do
        text="$(pdftotext -layout "$f" - 2>/dev/null || true)"
        [ -n "$text" ] || continue
        for mode in 0 1; do
            out="$corpus/extract/tmp"
            printf '%s%s' "$mode" "$text" >"$out"
            mv "$out" "$corpus/extract/$(sha1sum "$out" | cut -c1-16)"
        done
    done
fi
for f in "$here"/seeds/extract/*; do seed extract "$f"; done

for target in pdf_pages image_pages extract; do
    echo "$target: $(ls "$corpus/$target" | wc -l) seeds, $(du -sh "$corpus/$target" | cut -f1)"
done

#!/usr/bin/env bash
# Measures hoytech/negentropy on the sets baoxue-bench wrote, for the README's sync table.
#   tools/reference/negentropy-compare.sh NEGENTROPY_CHECKOUT SETS_DIR [FRAME_LIMIT]
# NEGENTROPY_CHECKOUT holds cpp/negentropy.h (commit 6edb041 was measured). Builds two harnesses
# in a temporary folder: the reference as published (32-byte ids) and the same with 16-byte ids.
set -euo pipefail
src=$1 sets=$2 limit=${3:-60000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/cpp" "$work/cpp32"
cp -r "$src/cpp" "$work/cpp16"
sed -i 's/const size_t ID_SIZE = 32;/const size_t ID_SIZE = 16;/' "$work/cpp16/negentropy/types.h"
# The id-sum accumulator adds four 64-bit limbs: two for 16-byte ids.
sed -i 's/for (size_t i = 0; i < 4; i++) {/for (size_t i = 0; i < ID_SIZE \/ 8; i++) {/' "$work/cpp16/negentropy/types.h"
grep -q 'ID_SIZE = 16' "$work/cpp16/negentropy/types.h"
grep -q 'i < ID_SIZE / 8' "$work/cpp16/negentropy/types.h"
for v in 32 16; do
  g++ -std=c++20 -O2 -I"$work/cpp$v" "$here/negentropy_compare.cpp" -lcrypto -o "$work/ne$v"
done
for f in "$sets"/*.set; do
  echo "$(basename "$f" .set) $("$work/ne32" "$f" "$limit") | $("$work/ne16" "$f" "$limit")"
done

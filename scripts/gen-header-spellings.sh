#!/usr/bin/env bash
# Writes every spelling listed in scripts/header-spellings.txt as a byte-identical copy of
# its canonical header in include/. Run after editing a canonical header;
# tests/header_spellings.rs checks that the copies are present and current.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
while read -r canonical spellings; do
    case "$canonical" in '' | '#'*) continue ;; esac
    for s in $spellings; do
        # On a case-insensitive file system the spelling may be the canonical file itself.
        if [ "include/$s" -ef "include/$canonical" ]; then continue; fi
        cp "include/$canonical" "include/$s"
    done
done < scripts/header-spellings.txt

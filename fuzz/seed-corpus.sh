#!/usr/bin/env bash
# Seeds every fuzz target's corpus with the spec fixtures' inputs.
set -euo pipefail
cd "$(dirname "$0")"
for target in decode chunked differential roundtrip encode limits; do
    mkdir -p "corpus/$target"
    cp ../spec-fixtures/cases/*.sse "corpus/$target/"
done
echo "seeded $(ls ../spec-fixtures/cases/*.sse | wc -l) inputs into corpus/<target>/"

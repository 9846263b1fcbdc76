#!/usr/bin/env bash
# First-call compile time of the MNIST MLP training step in fresh processes: each run is a new `dotnet` process
# that compiles the step once (JIT of GraphDL and Roslyn included) and prints the time; the script prints the
# median of N runs with an empty kernel cache (Roslyn runs) and with a warm one (the cache filled by the first run).
#
#   bench/compile-time.sh [N=7] [path/to/GraphDL.Bench.dll]
#
# Builds the benchmark project (Release) unless a dll is given, e.g. a ReadyToRun publish of it.
set -euo pipefail
runs=${1:-7}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${2:-}
if [[ -z "$dll" ]]; then
    dotnet build "$root/bench/GraphDL.Bench" -c Release -v:q -nologo >/dev/null
    dll="$root/bench/GraphDL.Bench/bin/Release/net10.0/GraphDL.Bench.dll"
fi
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
measure() {
    for ((i = 0; i < runs; i++)); do
        dotnet "$dll" --cold-process "$1" | sed -E 's/.*: ([0-9.]+) ms$/\1/'
    done
}
rm -rf "${TMPDIR:-/tmp}/graphdl-compile-cold-shared"
dotnet "$dll" --cold-process hit >/dev/null  # fills the shared cache the "hit" runs read
miss=$(measure miss | tee /dev/stderr | median)
hit=$(measure hit | tee /dev/stderr | median)
echo "fresh process, kernel cache miss: median $miss ms of $runs runs"
echo "fresh process, kernel cache hit:  median $hit ms of $runs runs"
rm -rf "${TMPDIR:-/tmp}/graphdl-compile-cold-shared"

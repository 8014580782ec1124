#!/usr/bin/env bash
# The command-line tool on LoCoMo's 10 conversations, on the embedded defaults (file store, offline
# ONNX embeddings, no model): import through conversation ingestion, export, import of the export
# into H2 (embeddings reused), the same import again (nothing stored twice), each timed end to end
# (JVM start included). Writes bench/results/cli-archive.md. Build first:
#   mvn -B -q -pl cli -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/inmemory.jar
data=${1:-../shared/data/locomo/locomo10.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inmemory() { java -jar "$jar" "$@"; }
seconds() { local start=$(date +%s%N); "$@" > "$work/out.json"; echo $(( ($(date +%s%N) - start) / 1000000 )); }

import_ms=$(seconds inmemory import "$data" --dir "$work/file" --no-progress --json)
added=$(jq -r '.memories_added' "$work/out.json")
export_ms=$(seconds inmemory export -o "$work/all.jsonl" --dir "$work/file" --no-progress --json)
lines=$(jq -r '.memories + .deleted' "$work/out.json")
h2="jdbc:h2:file:$work/h2/memories"
restore_ms=$(seconds inmemory import "$work/all.jsonl" --store-url "$h2" --no-progress --json)
restored=$(jq -r '.memories_added' "$work/out.json")
again_ms=$(seconds inmemory import "$work/all.jsonl" --store-url "$h2" --no-progress --json)
summary_again=$(jq -c 'del(.problems, .file)' "$work/out.json")
compare_ms=$(seconds inmemory import "$work/all.jsonl" --store-url "$h2" --restart --no-progress --json)
summary_compare=$(jq -c 'del(.problems, .file)' "$work/out.json")
get_ms=$(seconds inmemory stats --user conv-26 --dir "$work/file" --json)

rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n * 1000 / ms }'; }
{
  echo "# The command-line tool on LoCoMo ($(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1))"
  echo
  echo "Command: \`bash bench/cli-archive.sh\` (after \`mvn -B -q -pl cli -am package -DskipTests\`). Each row one"
  echo "\`java -jar cli/target/inmemory.jar …\` run, JVM start and store open/close included."
  echo
  echo "| step | items | wall | rate |"
  echo "|---|---:|---:|---:|"
  echo "| \`import locomo10.json\` (conversations → file store, ONNX MiniLM, offline) | $added memories | $import_ms ms | $(rate "$added" "$import_ms") memories/s |"
  echo "| \`export -o all.jsonl\` (embeddings and histories included) | $lines lines | $export_ms ms | $(rate "$lines" "$export_ms") lines/s |"
  echo "| \`import all.jsonl --store-url jdbc:h2:…\` (embeddings reused) | $lines lines ($restored stored) | $restore_ms ms | $(rate "$lines" "$restore_ms") lines/s |"
  echo "| the same import again (its checkpoint says all is done) | $lines lines | $again_ms ms | $(rate "$lines" "$again_ms") lines/s |"
  echo "| again with \`--restart\` (no checkpoint: each line compared with the store, all unchanged) | $lines lines | $compare_ms ms | $(rate "$lines" "$compare_ms") lines/s |"
  echo "| \`stats --user conv-26\` (no embedding: the model is not loaded) | 1 | $get_ms ms | |"
  echo
  echo "Summaries of the second and third imports: \`$summary_again\`, \`$summary_compare\`"
} > bench/results/cli-archive.md
cat bench/results/cli-archive.md

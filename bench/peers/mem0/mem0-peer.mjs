// Runs mem0's self-hosted engine (npm mem0ai, `mem0ai/oss`) on vectors computed elsewhere, so that a
// side-by-side comparison measures the engines and not the embedding models. No network: the
// embedder looks texts up in the input files, the LLM throws (add uses infer:false, so it is never
// called) and the caller must set MEM0_TELEMETRY=false (checked below).
//
// Usage: node mem0-peer.mjs --in DIR [--out FILE] [--k 10] [--storage memory|file]
//                           [--history on|off] [--warmup 3] [--threshold 0] [--user bench-user]
// DIR holds docs.jsonl ({"id","text","vector"}) and queries.jsonl ({"text","vector"}), one JSON
// object a line; texts must be unique among the docs. Writes FILE (default DIR/result.json).
// Progress goes to stderr.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Memory } from "mem0ai/oss";

const USAGE =
  "usage: node mem0-peer.mjs --in DIR [--out FILE] [--k 10] [--storage memory|file] " +
  "[--history on|off] [--warmup 3] [--threshold 0] [--user bench-user]";

function parseArgs(argv) {
  const args = { k: "10", storage: "memory", history: "off", warmup: "3", threshold: "0", user: "bench-user" };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!name.startsWith("--") || i + 1 >= argv.length) {
      throw new Error(`bad argument '${name}'\n${USAGE}`);
    }
    args[name.slice(2)] = argv[i + 1];
  }
  if (!args.in) throw new Error(`--in is required\n${USAGE}`);
  if (!["memory", "file"].includes(args.storage)) throw new Error(`--storage must be memory or file\n${USAGE}`);
  if (!["on", "off"].includes(args.history)) throw new Error(`--history must be on or off\n${USAGE}`);
  return {
    in: args.in,
    out: args.out ?? join(args.in, "result.json"),
    k: positiveInt(args.k, "k"),
    storage: args.storage,
    history: args.history === "on",
    warmup: nonNegativeInt(args.warmup, "warmup"),
    threshold: Number(args.threshold),
    user: args.user,
  };
}

function nonNegativeInt(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

function positiveInt(text, name) {
  const value = nonNegativeInt(text, name);
  if (value === 0) throw new Error(`--${name} must be positive`);
  return value;
}

function readJsonl(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      try {
        return JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${index + 1}: ${e.message}`);
      }
    });
}

// Plays a LangChain Embeddings object: every text mem0 embeds for a memory or a query is one of the
// input texts. The only other texts are entity names that mem0 extracts from a query to boost
// memories linked to them; infer:false links no entities, so any vector does for them: they get a
// fixed unit vector and are counted.
class PrecomputedEmbeddings {
  constructor(dimension) {
    this.vectors = new Map();
    this.fallback = Array.from({ length: dimension }, (_, i) => (i === 0 ? 1 : 0));
    this.unknownTexts = 0;
  }

  put(text, vector) {
    const known = this.vectors.get(text);
    if (known !== undefined && known !== vector && JSON.stringify(known) !== JSON.stringify(vector)) {
      throw new Error(`two different vectors for the text '${text}'`);
    }
    this.vectors.set(text, vector);
  }

  async embedQuery(text) {
    const vector = this.vectors.get(text);
    if (vector === undefined) throw new Error(`no precomputed vector for '${text}'`);
    return vector;
  }

  async embedDocuments(texts) {
    return texts.map((text) => {
      const vector = this.vectors.get(text);
      if (vector !== undefined) return vector;
      this.unknownTexts++;
      return this.fallback;
    });
  }
}

const offlineModel = {
  invoke() {
    throw new Error("the mem0 peer has no LLM: memories are added with infer:false");
  },
};

function percentile(sortedMs, p) {
  if (sortedMs.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedMs.length) - 1;
  return sortedMs[Math.max(0, Math.min(sortedMs.length - 1, rank))];
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if ((process.env.MEM0_TELEMETRY ?? "").toLowerCase() !== "false") {
    throw new Error("set MEM0_TELEMETRY=false: otherwise mem0 tries to send telemetry over the network");
  }
  const docs = readJsonl(join(options.in, "docs.jsonl"));
  const queries = readJsonl(join(options.in, "queries.jsonl"));
  if (docs.length === 0) throw new Error("docs.jsonl is empty");
  const dimension = docs[0].vector.length;

  const embeddings = new PrecomputedEmbeddings(dimension);
  const idByText = new Map();
  for (const doc of docs) {
    if (idByText.has(doc.text)) throw new Error(`duplicate doc text '${doc.text}' (ids ${idByText.get(doc.text)}, ${doc.id})`);
    idByText.set(doc.text, String(doc.id));
    embeddings.put(doc.text, doc.vector);
  }
  for (const query of queries) embeddings.put(query.text, query.vector);

  const dataDir = join(options.in, "mem0-data");
  mkdirSync(dataDir, { recursive: true });
  const onDisk = options.storage === "file";
  const memory = new Memory({
    embedder: { provider: "langchain", config: { model: embeddings } },
    vectorStore: {
      provider: "memory",
      config: { collectionName: "bench", dimension, dbPath: onDisk ? join(dataDir, "vector_store.db") : ":memory:" },
    },
    llm: { provider: "langchain", config: { model: offlineModel } },
    historyStore: {
      provider: "sqlite",
      config: { historyDbPath: onDisk ? join(dataDir, "history.db") : ":memory:" },
    },
    disableHistory: !options.history,
  });

  console.error(`mem0 peer: adding ${docs.length} memories (dim ${dimension}, storage ${options.storage}, history ${options.history ? "on" : "off"})`);
  const addStart = performance.now();
  for (let i = 0; i < docs.length; i++) {
    await memory.add(docs[i].text, { userId: options.user, infer: false });
    if ((i + 1) % 1000 === 0) console.error(`mem0 peer: ${i + 1}/${docs.length} added`);
  }
  const addSeconds = (performance.now() - addStart) / 1000;

  const search = (query) =>
    memory.search(query.text, { topK: options.k, threshold: options.threshold, filters: { user_id: options.user } });
  for (let i = 0; i < Math.min(options.warmup, queries.length); i++) await search(queries[i]);

  const latenciesMs = [];
  const topIds = [];
  for (let i = 0; i < queries.length; i++) {
    const start = performance.now();
    const found = await search(queries[i]);
    latenciesMs.push(performance.now() - start);
    topIds.push(
      found.results.map((result) => {
        const id = idByText.get(result.memory);
        if (id === undefined) throw new Error(`mem0 returned a memory that is no input text: '${result.memory}'`);
        return id;
      }),
    );
    if ((i + 1) % 10 === 0) console.error(`mem0 peer: ${i + 1}/${queries.length} queries`);
  }
  const sorted = [...latenciesMs].sort((a, b) => a - b);

  // mem0ai does not export its package.json, so read it from the install folder
  const version = JSON.parse(readFileSync(new URL("./node_modules/mem0ai/package.json", import.meta.url), "utf8")).version;
  const result = {
    engine: "mem0ai",
    version,
    node: process.version,
    storage: options.storage,
    history: options.history,
    k: options.k,
    threshold: options.threshold,
    warmup: options.warmup,
    docs: docs.length,
    dimension,
    add_seconds: addSeconds,
    adds_per_s: docs.length / addSeconds,
    p50_ms: percentile(sorted, 50),
    p99_ms: percentile(sorted, 99),
    latencies_ms: latenciesMs,
    top_ids: topIds,
    unknown_texts_embedded: embeddings.unknownTexts,
  };
  writeFileSync(options.out, JSON.stringify(result));
  console.error(`mem0 peer: ${result.adds_per_s.toFixed(0)} adds/s, search p50 ${result.p50_ms.toFixed(1)} ms, p99 ${result.p99_ms.toFixed(1)} ms`);
}

main().catch((error) => {
  console.error(`mem0 peer failed: ${error.stack ?? error}`);
  process.exit(1);
});

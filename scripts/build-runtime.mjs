// Bundles the learner runtime: each entry point src/elpack/runtime/src/main-<target>.js becomes
// one minified file, src/elpack/runtime/dist/elpack-<target>.js, which packages carry as
// assets/elpack.js. The bundles are committed, so that `pip install .` needs no npm; a test
// rebuilds them and checks that they match. Usage: node scripts/build-runtime.mjs [OUTDIR]
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const runtime = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src", "elpack", "runtime");
const sources = join(runtime, "src");
const outdir = resolve(process.argv[2] || join(runtime, "dist"));

const entryPoints = {};
for (const name of readdirSync(sources).sort()) {
  const match = /^main-(.+)\.js$/.exec(name);
  if (match) entryPoints[`elpack-${match[1]}`] = join(sources, name);
}

await build({
  entryPoints,
  outdir,
  bundle: true,
  minify: true,
  format: "iife",
  // what every browser an NHS learner is likely to use has run for years
  target: "es2019",
  // non-ASCII as \u escapes: the file is right whatever charset an LMS serves it with
  charset: "ascii",
  legalComments: "none",
  logLevel: "warning",
});

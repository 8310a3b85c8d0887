// Builds src/elpack/themes/nhs/static/components.css from src/elpack/themes/nhs/scss/components.scss: the NHS.UK
// design system (npm nhsuk-frontend) compiled with sass, then only the rules whose class names
// the templates and the runtime use (PurgeCSS), so that each package carries what it shows.
// The output is committed, so that `pip install elpack` needs no npm; tests/test_theme.py
// checks that it equals a fresh build. Usage: node scripts/build-nhs-css.mjs [output file]
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";
import * as sass from "sass";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = process.argv[2] || join(repo, "src/elpack/themes/nhs/static/components.css");
const version = JSON.parse(readFileSync(join(repo, "node_modules/nhsuk-frontend/package.json"), "utf8")).version;

const compiled = sass.compile(join(repo, "src/elpack/themes/nhs/scss/components.scss"), {
  loadPaths: [join(repo, "node_modules")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  silenceDeprecations: ["import"],
}).css;

const [purged] = await new PurgeCSS().purge({
  content: [
    join(repo, "src/elpack/themes/plain/templates/**/*.html"),
    join(repo, "src/elpack/themes/nhs/templates/**/*.html"),
    join(repo, "src/elpack/runtime/**/*.js"),
  ],
  css: [{ raw: compiled }],
  // the runtime adds these states to elements the templates render
  safelist: { standard: [/^is-/, /^js$/] },
});

const banner = `/* elpack nhs theme. Contains styles of nhsuk-frontend ${version} ` +
  "(https://github.com/nhsuk/nhsuk-frontend, MIT Licence), " +
  "trimmed to the components this theme uses. Built by scripts/build-nhs-css.mjs: do not edit. */\n";
writeFileSync(output, banner + purged.css.trim() + "\n");

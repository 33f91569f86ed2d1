// Builds the configuration page's files that come from npm packages into plugin/robotpayment_app/web/dashboard/static/
// (run by ./dev; the built files are committed, so that the app, its wheel and its image need no Node.js):
//
//   app_bridge.js          src/app_bridge.js with @saleor/app-sdk's AppBridge, one ES module (no React in it)
//   macaw_tokens.css       @saleor/macaw-ui's design tokens, light and dark, as the CSS variables macaw-ui itself
//                          sets (--mu-…), and the @font-face of its Inter variable font; dashboard.css uses them
//   inter-roman.var.woff2  that font, copied from @saleor/macaw-ui
//
// `node build.mjs` writes the files that changed; `node build.mjs --check` writes nothing and exits 1 when a file
// on disk is not what the sources and package-lock.json build (./dev lint runs it, so CI refuses a stale build).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const STATIC_DIR = path.resolve(ROOT, "../plugin/robotpayment_app/web/dashboard/static");
const NOTICE = "Built by ./dev from frontend_dashboard/ (build.mjs, package-lock.json): do not edit.";

/** An esbuild plugin that resolves the bare module names matching `filter` to one file of build_support/. */
function standIn(filter, file) {
  return {
    name: `stand-in:${file}`,
    setup(build) {
      build.onResolve({ filter }, () => ({ path: path.join(ROOT, "build_support", file) }));
    },
  };
}

async function packageInfo(name) {
  const manifest = JSON.parse(await readFile(path.join(ROOT, "node_modules", name, "package.json"), "utf8"));
  return { name, version: manifest.version, license: manifest.license || "see its package" };
}

/** The npm packages a bundle holds, from esbuild's metafile: "node_modules/@scope/name/…" -> "@scope/name". */
async function bundledPackages(metafile) {
  const names = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) names.add(match[1]);
  }
  return Promise.all([...names].sort().map(packageInfo));
}

function comment(lines) {
  return `/* ${lines.join("\n * ")}\n */\n`;
}

async function appBridge() {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ["src/app_bridge.js"],
    outfile: "app_bridge.js",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    charset: "utf8",
    legalComments: "none", // the banner names every bundled package with its licence instead
    write: false,
    metafile: true,
    logLevel: "warning",
    plugins: [standIn(/^react$/, "react_absent.js")],
  });
  const packages = await bundledPackages(result.metafile);
  if (packages.some(({ name }) => name === "react" || name === "react-dom")) throw new Error("React reached the page");
  const banner = comment([
    NOTICE,
    "The page's App Bridge: src/app_bridge.js and Saleor's AppBridge, bundled by esbuild with",
    ...packages.map(({ name, version, license }) => `  ${name} ${version} (${license})`),
    "React: absent (build_support/react_absent.js); the SDK's React helpers are not used.",
  ]);
  return banner + result.outputFiles[0].text;
}

async function macawTokens() {
  // macaw-ui's tokens come only from its React entry point: run it once in Node, React answered by inert stand-ins
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    stdin: { contents: 'export { getCSSVariables } from "@saleor/macaw-ui";', resolveDir: ROOT, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "warning",
    plugins: [standIn(/^react(-dom)?$/, "react_inert.js")],
  });
  const source = Buffer.from(result.outputFiles[0].contents).toString("base64");
  const { getCSSVariables } = await import(`data:text/javascript;base64,${source}`);
  const macaw = await packageInfo("@saleor/macaw-ui");
  const block = (selector, variables) =>
    `${selector} {\n${Object.entries(variables)
      .map(([name, value]) => `  ${name}: ${value};`)
      .join("\n")}\n}\n`;
  return (
    comment([
      NOTICE,
      `Saleor's dashboard look: the design tokens of ${macaw.name} ${macaw.version} (${macaw.license}, Saleor Commerce),`,
      'getCSSVariables("defaultLight") and getCSSVariables("defaultDark"), as the CSS variables macaw-ui sets on',
      "the dashboard's own page, and its Inter variable font (SIL Open Font License 1.1). dashboard.css uses them.",
    ]) +
    '@font-face {\n  font-family: "Inter var";\n  src: url(inter-roman.var.woff2) format("woff2");\n' +
    "  font-style: normal;\n  font-weight: 100 900;\n  font-display: swap;\n}\n\n" +
    block(":root", getCSSVariables("defaultLight")) +
    "\n" +
    block(':root[data-theme="dark"]', getCSSVariables("defaultDark"))
  );
}

async function interFont() {
  return readFile(path.join(ROOT, "node_modules/@saleor/macaw-ui/dist/Inter-roman.var.woff2"));
}

const TARGETS = { "app_bridge.js": appBridge, "macaw_tokens.css": macawTokens, "inter-roman.var.woff2": interFont };

async function main() {
  const check = process.argv.includes("--check");
  const stale = [];
  for (const [name, build] of Object.entries(TARGETS)) {
    const built = Buffer.from(await build());
    const target = path.join(STATIC_DIR, name);
    const current = await readFile(target).catch(() => null);
    if (current && current.equals(built)) continue;
    stale.push(name);
    if (!check) {
      await writeFile(target, built);
      console.log(`built ${path.relative(process.cwd(), target)}`);
    }
  }
  if (check && stale.length) {
    console.error(
      `stale in plugin/robotpayment_app/web/dashboard/static/: ${stale.join(", ")}. ` +
        "Run ./dev build and commit the files it writes.",
    );
    process.exitCode = 1;
  }
}

await main();

// Build the query UI into the app's static directory: node build.mjs [OUT]
//
// OUT (default ../kg/api/static/ui, git-ignored) receives
//   index.html                  the page served at `/`, from ./index.html
//   assets/yasgui.min.{js,css}  YASGUI's own prebuilt bundle, from node_modules (`npm ci` first)
//   assets/swagger-ui*          Swagger UI's prebuilt bundle (swagger-ui-dist), for the API docs at /docs
//   assets/app.{js,css}         osint-kg's glue code and style, from ./src
//   assets/versions.json        the front-end packages in the bundle and their versions
// The app serves assets/ at /ui/ (kg/api/routes/ui.py).
// No bundler: YASGUI ships a self-contained browser build. Nothing here reaches the network; what the
// page itself may fetch is limited in src/app.js and checked by tests/test_ui_browser.py.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "..", "kg", "api", "static", "ui"));
const yasgui = join(here, "node_modules", "@zazuko", "yasgui");

function packageVersion(dir) {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
}

if (!existsSync(join(yasgui, "package.json"))) {
  console.error("error: @zazuko/yasgui is not installed; run `npm ci` in ui/ first");
  process.exit(1);
}
const versions = { "@zazuko/yasgui": packageVersion(yasgui) };
for (const part of ["yasqe", "yasr"]) {
  versions[`@zazuko/${part}`] = packageVersion(join(here, "node_modules", "@zazuko", part));
}

const assets = join(out, "assets");
rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
for (const file of ["yasgui.min.js", "yasgui.min.css"]) {
  copyFileSync(join(yasgui, "build", file), join(assets, file));
}
const swagger = join(here, "node_modules", "swagger-ui-dist");
versions["swagger-ui-dist"] = packageVersion(swagger);
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(swagger, file), join(assets, file));
}
copyFileSync(join(here, "src", "app.js"), join(assets, "app.js"));
copyFileSync(join(here, "src", "app.css"), join(assets, "app.css"));
writeFileSync(join(assets, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
const page = readFileSync(join(here, "index.html"), "utf8")
  .replaceAll("{{yasgui_version}}", versions["@zazuko/yasgui"]);
writeFileSync(join(out, "index.html"), page);
console.log(`query UI built into ${out} (@zazuko/yasgui ${versions["@zazuko/yasgui"]})`);

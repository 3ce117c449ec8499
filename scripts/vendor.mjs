// Copy the GC Design System into static/vendor/ so that nothing loads from a CDN at run time.
// Driven by package.json / package-lock.json: run `npm ci && npm run vendor`, commit the result.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const modules = join(root, "node_modules", "@gcds-core");
const vendor = join(root, "static", "vendor");
const version = (pkg) => JSON.parse(readFileSync(join(modules, pkg, "package.json"))).version;

// Components: the Stencil build, with its stylesheet pointed at the local fonts.
const gcds = join(vendor, "gcds");
rmSync(gcds, { recursive: true, force: true });
cpSync(join(modules, "components", "dist", "gcds"), gcds, { recursive: true });
const cssPath = join(gcds, "gcds.css");
const css = readFileSync(cssPath, "utf8")
  .replace(/@import url\("https:\/\/fonts\.googleapis\.com[^"]*"\);/g, "")
  .replace(/https:\/\/cdn\.design-system\.canada\.ca\/@gcds-core\/fonts@[^/]+\/icons\//g, "../gcds-fonts/icons/");
if (/https?:\/\//.test(css.match(/url\([^)]*\)|@import[^;]*/g)?.join(" ") ?? "")) {
  throw new Error("gcds.css still loads something remote; update scripts/vendor.mjs");
}
writeFileSync(cssPath, css);

// Fonts: the files, each family's stylesheet pointed at the files beside it, and one
// stylesheet declaring them all. The package's stylesheets name a placeholder folder
// ("path/to/file/", "<path-to-file>/"): left in, the production build (hashed file names)
// stops on the missing files.
const placeholder = /(?:path\/to\/file|<path-to-file>)\//g;
const fonts = join(vendor, "gcds-fonts");
rmSync(fonts, { recursive: true, force: true });
mkdirSync(fonts, { recursive: true });
const faces = [];
for (const family of readdirSync(join(modules, "fonts", "fonts"))) {
  cpSync(join(modules, "fonts", "fonts", family), join(fonts, family), { recursive: true });
  for (const file of readdirSync(join(fonts, family)).filter((f) => f.endsWith(".css"))) {
    const source = readFileSync(join(fonts, family, file), "utf8");
    writeFileSync(join(fonts, family, file), source.replace(placeholder, ""));
    if (family === "icons") continue; // gcds.css declares the icon font itself
    faces.push(source.replace(placeholder, `${family}/`));
  }
}
writeFileSync(join(fonts, "fonts.css"), faces.join("\n"));

// Every url() in a vendored stylesheet must name a file that is there.
const stylesheets = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? stylesheets(join(dir, entry.name))
      : entry.name.endsWith(".css") ? [join(dir, entry.name)] : [],
  );
for (const sheet of stylesheets(vendor)) {
  for (const [, quoted] of readFileSync(sheet, "utf8").matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    const target = quoted.split(/[?#]/)[0];
    if (/^(data:|https?:|\/\/)/.test(quoted) || !target) continue;
    if (!existsSync(join(dirname(sheet), target))) {
      throw new Error(`${sheet} names ${quoted}, which is not there; update scripts/vendor.mjs`);
    }
  }
}
writeFileSync(
  join(vendor, "VERSIONS.txt"),
  `@gcds-core/components ${version("components")}\n@gcds-core/fonts ${version("fonts")}\n`,
);
console.log(`vendored @gcds-core/components ${version("components")} and fonts ${version("fonts")}`);

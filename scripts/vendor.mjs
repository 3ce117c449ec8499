// Copy the GC Design System into static/vendor/ so that nothing loads from a CDN at run time.
// Driven by package.json / package-lock.json: run `npm ci && npm run vendor`, commit the result.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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

// Fonts: the files, and one stylesheet declaring them with local paths.
const fonts = join(vendor, "gcds-fonts");
rmSync(fonts, { recursive: true, force: true });
mkdirSync(fonts, { recursive: true });
const faces = [];
for (const family of readdirSync(join(modules, "fonts", "fonts"))) {
  cpSync(join(modules, "fonts", "fonts", family), join(fonts, family), { recursive: true });
  for (const file of readdirSync(join(fonts, family)).filter((f) => f.endsWith(".css"))) {
    if (family === "icons") continue; // gcds.css declares the icon font itself
    faces.push(readFileSync(join(fonts, family, file), "utf8").replaceAll("path/to/file/", `${family}/`));
  }
}
writeFileSync(join(fonts, "fonts.css"), faces.join("\n"));
writeFileSync(
  join(vendor, "VERSIONS.txt"),
  `@gcds-core/components ${version("components")}\n@gcds-core/fonts ${version("fonts")}\n`,
);
console.log(`vendored @gcds-core/components ${version("components")} and fonts ${version("fonts")}`);

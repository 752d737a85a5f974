// The esbuild options every script of the site is bundled with (scripts/build-site.mjs,
// scripts/service-worker.mjs): one file per entry, minified, for browsers of 2022 on.
export const BUNDLE = {
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
};

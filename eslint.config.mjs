// Lint rules: Next.js's recommended sets (React, hooks, accessibility, TypeScript) plus a few of our own.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration from src/env.ts.",
        },
      ],
    },
  },
  {
    files: [
      "src/env.ts",
      "src/instrumentation.ts",
      "src/instrumentation-node.ts",
      "src/test/**",
      "src/**/*.test.ts",
      "scripts/**",
      "prisma/**",
      "e2e/**",
      "*.config.*",
      "bench/**",
      "test/**",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
  // One auth boundary: Better Auth's server side (its endpoints' context, adapter, cookies, plugins) is reached through
  // src/server/auth/ only; everything else calls what that folder exports. The browser client is anyone's, and so is
  // access control (plain objects, no server code), which the one permission table in src/lib/permissions.ts is built with.
  {
    files: ["**/*.{ts,tsx,mjs}"],
    ignores: ["src/server/auth/**", "bench/starter/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(better-auth(?!/(client|react|plugins/access)(/|$))|@better-auth/(?!.*/client$))",
              message: "Better Auth's server side is used through src/server/auth/ only.",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { property: "$context", message: "Better Auth's internals are used through src/server/auth/ only." },
        { property: "internalAdapter", message: "Better Auth's internals are used through src/server/auth/ only." },
      ],
    },
  },
  // Playwright fixtures call a function named `use`, which is not React's.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  {
    ignores: [
      "playwright-report/**",
      "test-results/**",
      "**/.next/**",
      "node_modules/**",
      "src/generated/**",
      ".data/**",
      "next-env.d.ts",
    ],
  },
];

export default config;

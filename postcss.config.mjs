// Tailwind CSS v4 through PostCSS; styles are built locally, nothing is fetched from another host.
const config = { plugins: { "@tailwindcss/postcss": {} } };

export default config;

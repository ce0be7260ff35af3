// The page served at / when the web app has not been built yet.
export const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Netplane</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Netplane is running</h1>
<p>The API answers at <code>/trpc</code>, health at <code>/healthz</code> and <code>/readyz</code>, metrics at
<code>/metrics</code>. The web console has not been built: run <code>npm run build -w apps/web</code> (or
<code>npm run build</code> at the root), or point <code>NETPLANE_WEB_DIST</code> at a built <code>dist</code> folder,
then reload this page.</p>
</body></html>
`;

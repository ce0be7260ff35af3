// Applies the dark theme before first paint (an external file: the server's CSP forbids inline scripts).
try {
  const t = localStorage.getItem('netplane.theme');
  if (t === 'dark' || (!t && matchMedia('(prefers-color-scheme: dark)').matches)) {
    document.documentElement.classList.add('dark');
  }
} catch {}

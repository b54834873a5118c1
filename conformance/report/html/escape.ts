// Text into HTML, and a last line of defence against whole tokens in an HTML report:
// anything shaped like a JWT in recorded wire data is shown by its length only.
export const esc = (s: unknown) =>
  String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

export const redactJwts = (s: string) => s.replace(JWT_SHAPED, (t) => `<jwt-shaped text, ${t.length} chars, not shown>`);

// What the diagnostics bundle removes before anything is written: the VM's per-boot secret
// wherever it appears, values under secret-like keys in JSON (docker's config.json keeps
// registry credentials as auths.<host>.auth, identitytoken, registrytoken), and key=value
// or key: value pairs with such names in logs.
const SECRET_KEY = /secret|token|passw(or)?d|^auth$|authorization|credential|api[-_]?key/i;
// key=value, key: value, and JSON written into a log line or a file that does not parse
// ("auth": "…"): the key may be closed by a quote. The value may be quoted (spaces and all) or
// carry an HTTP scheme word first (Authorization: Basic …), which is blanked with it.
const SECRET_PAIR = /\b([\w.-]*(?:secret|token|passw(?:or)?d|auth|credential|api[-_]?key)[\w.-]*)("?\s*[=:]\s*)("[^"]*"|'[^']*'|(?:(?:basic|bearer|digest|token)\s+)?[^\s",'{}[\]]+)/gi;
// user:password@ in any URL (a proxy in config.json, a registry in a log line).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]*@/gi;
// A PEM private key anywhere (a remote engine's TLS client key kept in a settings file, a log
// that printed one), whatever key name it sits under.
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
export const REDACTED = '<redacted>';

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  return out
    .replace(PEM_PRIVATE_KEY, (_all, kind: string) => `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}-----END ${kind}PRIVATE KEY-----`)
    .replace(URL_PASSWORD, (_all, before: string) => `${before}:${REDACTED}@`)
    .replace(SECRET_PAIR, (_all, key: string, between: string, value: string) => {
      const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
      return `${key}${between}${quote}${REDACTED}${quote}`;
    });
}

export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) && (typeof inner === 'string' || typeof inner === 'number') ? REDACTED : redactJson(inner, secrets),
    ]));
  }
  return value;
}

/** A file's text redacted: as JSON when it parses (pretty-printed), else as text. */
export function redactFile(text: string, secrets: readonly string[]): string {
  try {
    return `${JSON.stringify(redactJson(JSON.parse(text), secrets), null, 2)}\n`;
  } catch {
    return redactText(text, secrets);
  }
}

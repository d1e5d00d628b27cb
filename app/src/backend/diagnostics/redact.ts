// What the diagnostics bundle removes before anything is written: the VM's per-boot secret
// wherever it appears, values under secret-like keys in JSON (docker's config.json keeps
// registry credentials as auths.<host>.auth, identitytoken, registrytoken), and key=value
// or key: value pairs with such names in logs.
const SECRET_KEY = /secret|token|passw(or)?d|^auth$|credential|api[-_]?key/i;
const SECRET_PAIR = /\b([\w.-]*(?:secret|token|passw(?:or)?d|auth|credential|api[-_]?key)[\w.-]*)(\s*[=:]\s*"?)([^\s",'}]+)/gi;
export const REDACTED = '<redacted>';

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  return out.replace(SECRET_PAIR, (_all, key: string, between: string) => `${key}${between}${REDACTED}`);
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

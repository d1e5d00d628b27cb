// Copies text for the user: the async Clipboard API where the page may use it (a secure context:
// Electron, localhost), else a selected off-screen textarea and execCommand('copy').
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission refused (a headless browser, a policy): fall back below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.left = '-9999px';
  document.body.append(area);
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('the browser refused to copy; select the line and copy it by hand');
  } finally {
    area.remove();
  }
}

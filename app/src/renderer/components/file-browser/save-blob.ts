// Hands a Blob to the browser as a download with a file name (an <a download> click, the one way
// that works in a browser tab and in Electron alike).
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; give the browser a moment before freeing the URL.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** base64 (FileContent) → bytes, without building one huge intermediate string per byte. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// A gzip-compressed cpio "newc" archive, the format the kernel unpacks as an initramfs
// (Documentation/driver-api/early-userspace/buffer-format.rst). Written here rather than with
// cpio(1) so entry order, owners and times are fixed by construction: the same inputs give the
// same bytes.
import { gzipSync } from 'node:zlib';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex = (n) => n.toString(16).padStart(8, '0');
const pad4 = (n) => (4 - (n % 4)) % 4;

function header(fields, name) {
  const nameBytes = Buffer.from(`${name}\0`);
  const head = Buffer.from(
    '070701' +
      [fields.ino, fields.mode, 0, 0, fields.nlink, fields.mtime, fields.size, 0, 0, fields.rdevMajor ?? 0, fields.rdevMinor ?? 0, nameBytes.length, 0]
        .map(hex)
        .join(''),
  );
  return Buffer.concat([head, nameBytes, Buffer.alloc(pad4(head.length + nameBytes.length))]);
}

/**
 * entries: { path (no leading slash), type: 'dir'|'file'|'symlink'|'chardev', mode, data?, target?, major?, minor? }.
 * Parents must come before children; callers pass them sorted.
 */
export function cpioGz(entries, mtime) {
  const parts = [];
  let ino = 1;
  for (const entry of entries) {
    let body = Buffer.alloc(0);
    let mode = entry.mode ?? 0o755;
    if (entry.type === 'dir') mode |= S_IFDIR;
    else if (entry.type === 'file') {
      mode |= S_IFREG;
      body = entry.data;
    } else if (entry.type === 'symlink') {
      mode = S_IFLNK | 0o777;
      body = Buffer.from(entry.target);
    } else if (entry.type === 'chardev') mode |= S_IFCHR;
    parts.push(
      header({ ino: ino++, mode, nlink: entry.type === 'dir' ? 2 : 1, mtime, size: body.length, rdevMajor: entry.major, rdevMinor: entry.minor }, entry.path),
      body,
      Buffer.alloc(pad4(body.length)),
    );
  }
  parts.push(header({ ino: 0, mode: 0, nlink: 1, mtime: 0, size: 0 }, 'TRAILER!!!'));
  // gzip with no name and mtime 0 in its header (Node writes neither), so the bytes are stable.
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

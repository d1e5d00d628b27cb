// A docker-credential-<name> helper for tests: a small Node script (run by this same Node) that
// speaks the helper protocol (get/store/erase/list on stdin/stdout), keeps its secrets in a JSON
// file beside it, and appends every action it was asked for to a log, so a test can check that
// the backend went through the helper and what it handed over. Put `dir` first on PATH.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCredentialHelper {
  /** The helper's name in config.json (credsStore / credHelpers). */
  name: string;
  /** Holds docker-credential-<name>: prepend to PATH. */
  dir: string;
  /** Server URL → { Username, Secret }, as the helper keeps it now. */
  entries(): Record<string, { Username: string; Secret: string }>;
  /** Puts credentials in, as if the user had stored them earlier. */
  seed(serverUrl: string, username: string, secret: string): void;
  /** Each action asked for, with what came on stdin (secrets included: it is a test). */
  calls(): { action: string; input: string }[];
  remove(): void;
}

const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const here = path.dirname(fs.realpathSync(process.argv[1]));
const storeFile = path.join(here, 'store.json');
const logFile = path.join(here, 'calls.log');
const action = process.argv[2];
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  fs.appendFileSync(logFile, JSON.stringify({ action, input }) + '\\n');
  const store = fs.existsSync(storeFile) ? JSON.parse(fs.readFileSync(storeFile, 'utf8')) : {};
  const save = () => fs.writeFileSync(storeFile, JSON.stringify(store));
  const notFound = () => { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); };
  switch (action) {
    case 'get': {
      const entry = store[input.trim()];
      if (!entry) notFound();
      process.stdout.write(JSON.stringify({ ServerURL: input.trim(), Username: entry.Username, Secret: entry.Secret }));
      break;
    }
    case 'store': {
      const c = JSON.parse(input);
      if (!c.ServerURL) { process.stdout.write('no credentials server URL\\n'); process.exit(1); }
      store[c.ServerURL] = { Username: c.Username, Secret: c.Secret };
      save();
      break;
    }
    case 'erase': {
      if (!store[input.trim()]) notFound();
      delete store[input.trim()];
      save();
      break;
    }
    case 'list': {
      process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(store).map(([k, v]) => [k, v.Username]))));
      break;
    }
    default:
      process.stdout.write('unknown action: ' + action + '\\n');
      process.exit(1);
  }
});
`;

export function makeTestCredentialHelper(name = 'berthtest'): TestCredentialHelper {
  const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-cred-helper-'));
  const program = join(dir, `docker-credential-${name}`);
  // The shebang names this very Node, so the helper runs whatever PATH the backend has.
  writeFileSync(program, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(program, 0o755);
  const storeFile = join(dir, 'store.json');
  const logFile = join(dir, 'calls.log');
  const entries = () => (existsSync(storeFile) ? JSON.parse(readFileSync(storeFile, 'utf8')) as Record<string, { Username: string; Secret: string }> : {});
  return {
    name,
    dir,
    entries,
    seed(serverUrl, username, secret) {
      writeFileSync(storeFile, JSON.stringify({ ...entries(), [serverUrl]: { Username: username, Secret: secret } }));
    },
    calls: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { action: string; input: string }) : []),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// One QMP command on QEMU's control socket, after the capabilities handshake (QEMU's
// docs/interop/qmp-spec): {"QMP":…} greeting, qmp_capabilities, then the command.
import { connect } from 'node:net';

export function qmpCommand(socketPath: string, command: string, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`QMP ${command}: no answer within ${timeoutMs} ms`)));
    let buffered = '';
    let step = 0;
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffered.slice(0, newline)) as { QMP?: unknown; return?: unknown; error?: { desc: string } };
        buffered = buffered.slice(newline + 1);
        if (message.error) {
          socket.destroy();
          reject(new Error(`QMP ${command}: ${message.error.desc}`));
        } else if (message.QMP && step === 0) {
          step = 1;
          socket.write('{"execute":"qmp_capabilities"}\n');
        } else if (message.return !== undefined && step === 1) {
          step = 2;
          socket.write(`${JSON.stringify({ execute: command })}\n`);
        } else if (message.return !== undefined && step === 2) {
          socket.end();
          resolve();
        }
      }
    });
    socket.on('error', reject);
  });
}

// eSpeak NG (WASM) in a worker thread: synthesis is synchronous inside the module, so it must
// not run on the controller's event loop. Plain JavaScript so it loads the same under tsx, vitest
// and node. One request at a time: { id, text, voice, speed } → { id, wav } or { id, error }.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';

const entry = pathToFileURL(createRequire(import.meta.url).resolve('espeak-ng'));
const { default: ESpeakNg } = await import(entry.href);
// Compiled once: each clip then only instantiates it (a fresh instance per clip, as the module
// runs its main() once per instance).
const compiled = await WebAssembly.compile(await readFile(new URL('espeak-ng.wasm', entry)));

async function synthesize({ text, voice, speed }) {
  const messages = [];
  let status = 0;
  const espeak = await ESpeakNg({
    arguments: ['-v', voice, '-s', String(speed), '-w', '/clip.wav', text],
    print: () => {},
    printErr: (line) => messages.push(line),
    quit: (code) => {
      status = code;
    },
    instantiateWasm: (imports, receive) => {
      WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance));
      return {};
    },
  });
  if (status !== 0) throw new Error(`espeak-ng exited with ${status}: ${messages.join(' ')}`);
  // A copy we own, so it can be transferred.
  return espeak.FS.readFile('/clip.wav').slice();
}

let chain = Promise.resolve();
parentPort.on('message', (request) => {
  chain = chain.then(async () => {
    try {
      const wav = await synthesize(request);
      parentPort.postMessage({ id: request.id, wav }, [wav.buffer]);
    } catch (error) {
      parentPort.postMessage({ id: request.id, error: String(error?.message ?? error) });
    }
  });
});
parentPort.postMessage({ ready: true });

// Runs a translated model on the CPU backend of @tensorflow/tfjs and writes its outputs.
//   node run_model.mjs MODEL_DIR OUT_DIR
// The model is loaded twice: from model.json + weights.bin with tf.loadLayersModel, and built by
// model.js's buildModel(tf) with the same weights, so that both files are checked. Reads the inputs
// from reference.json/.bin; writes OUT_DIR/outputs.json (shapes, offsets) and OUT_DIR/outputs.bin, and
// prints a summary with the first values of every output.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const quiet = console.warn;
console.warn = () => {}; // the "install the node backend" hint: the pure-JS backend is the point
await tf.setBackend('cpu');
console.warn = quiet;

const [modelDir, outDir] = process.argv.slice(2);
const read = (name) => fs.readFileSync(path.join(modelDir, name));
const buffer = (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

const artifacts = JSON.parse(read('model.json'));
const specs = artifacts.weightsManifest.flatMap((group) => group.weights);
const weightData = buffer(Buffer.concat(artifacts.weightsManifest.flatMap((g) => g.paths).map(read)));
if (fs.existsSync(path.join(modelDir, 'layers.js'))) {
  const layers = await import(pathToFileURL(path.join(modelDir, 'layers.js')).href);
  layers.register(tf);
}
const handler = { load: async () => ({ modelTopology: artifacts.modelTopology, weightSpecs: specs, weightData,
  format: artifacts.format, userDefinedMetadata: artifacts.userDefinedMetadata }) };
const loaded = await tf.loadLayersModel(handler);

const { buildModel } = await import(pathToFileURL(path.join(modelDir, 'model.js')).href);
const built = buildModel(tf);
built.loadWeights(tf.io.decodeWeights(weightData, specs));

const reference = JSON.parse(read('reference.json'));
const raw = read('reference.bin');
const arrays = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };  // bool: one byte per value
const inputs = reference.inputs.map((e) => {
  const data = new arrays[e.dtype](buffer(raw.subarray(e.offset, e.offset + e.nbytes)));
  return tf.tensor(data, e.shape, e.dtype);
});
const run = (model) => {
  const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  return Array.isArray(out) ? out : [out];
};
fs.mkdirSync(outDir, { recursive: true });
const chunks = [];
const entries = [];
let offset = 0;
for (const [source, model] of [['model.json', loaded], ['model.js', built]]) {
  run(model).forEach((tensor, index) => {
    const data = tensor.dataSync();
    const bytes = Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    entries.push({ source, index, shape: tensor.shape, offset, nbytes: bytes.length });
    chunks.push(bytes);
    offset += bytes.length;
  });
}
fs.writeFileSync(path.join(outDir, 'outputs.bin'), Buffer.concat(chunks));
const summary = { entries, layers: loaded.layers.length, params: loaded.countParams(), backend: tf.getBackend(),
  version: tf.version.tfjs };
fs.writeFileSync(path.join(outDir, 'outputs.json'), JSON.stringify(summary));
console.log(JSON.stringify({ ...summary, first: entries.map((e, i) => Array.from(
  new Float32Array(chunks[i].buffer, chunks[i].byteOffset, Math.min(8, e.nbytes / 4)))) }));

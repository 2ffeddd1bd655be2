// Runs a reader's TF.js model code and describes the model it builds, for the exercise checker.
//   node inspect_model.mjs SOURCE.js OUT.json INPUT_SHAPE_JSON
// The code runs with `tf` in scope (import lines for @tensorflow/tfjs are dropped; `export` is ignored).
// It must leave its model in a variable `model`, or define buildModel(tf) / createModel() returning it.
// OUT.json gets the layers (class, units, activation, output shape, parameters), the parameter count,
// the output shape for a zero input of INPUT_SHAPE, and what model.compile() was given.
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';

const quiet = console.warn;
console.warn = () => {};
await tf.setBackend('cpu');
console.warn = quiet;

const [sourcePath, outPath, inputShapeText] = process.argv.slice(2);
const write = (data) => fs.writeFileSync(outPath, JSON.stringify(data));
const compiled = [];
const original = tf.LayersModel.prototype.compile;
tf.LayersModel.prototype.compile = function compile(args) {
  const optimizer = args && args.optimizer;
  const loss = args && args.loss;
  compiled.push({
    optimizer: typeof optimizer === 'string' ? optimizer
      : optimizer && optimizer.getClassName ? optimizer.getClassName() : String(optimizer),
    learningRate: optimizer && typeof optimizer === 'object' ? optimizer.learningRate ?? null : null,
    loss: typeof loss === 'function' ? loss.name || 'a function' : Array.isArray(loss) ? loss.join(', ') : String(loss),
  });
  return original.call(this, args);
};

const source = fs.readFileSync(sourcePath, 'utf8')
  .split('\n')
  .map((line) => (/^\s*import\b.*['"]@tensorflow\/tfjs(-node)?['"]/.test(line) ? '' : line))
  .join('\n')
  .replace(/^(\s*)export\s+(default\s+)?(?=(async\s+)?function|const|let|var|class)/gm, '$1');
const tail = `
;if (typeof model !== 'undefined') { return model; }
if (typeof buildModel === 'function') { return await buildModel(tf); }
if (typeof createModel === 'function') { return await createModel(tf); }
return undefined;`;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
let model;
try {
  model = await new AsyncFunction('tf', source + tail)(tf);
} catch (error) {
  const where = /<anonymous>:(\d+)/.exec(error.stack || '');
  write({ error: `${error.name}: ${error.message}`, line: where ? Number(where[1]) - 2 : null });
  process.exit(0);
}
if (!(model instanceof tf.LayersModel)) {
  write({ noModel: 'Your code builds no TF.js model: leave it in `const model = tf.sequential(...)` or return it from buildModel(tf)' });
  process.exit(0);
}
const layers = model.layers.map((layer) => {
  const config = layer.getConfig();
  let outputShape = null;
  try { outputShape = layer.outputShape; } catch (e) { outputShape = null; }
  return { className: layer.getClassName(), name: layer.name, units: config.units ?? null,
    activation: config.activation ?? null, rate: config.rate ?? null, outputShape, params: layer.countParams() };
});
let output = null;
let runError = null;
try {
  const shape = JSON.parse(inputShapeText);
  const result = model.predict(tf.zeros([1, ...shape]));
  output = (Array.isArray(result) ? result[0] : result).shape;
} catch (error) {
  runError = `${error.name}: ${error.message}`;
}
write({ layers, params: model.countParams(), inputShape: model.inputs[0].shape, output, runError, compiled });

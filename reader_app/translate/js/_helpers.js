// JSON has no infinities: configs carry 'inf' and '-inf' as strings.
const num = (v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const single = (inputs) => (Array.isArray(inputs) ? inputs[0] : inputs);
// NumPy-style broadcasting of two shapes (null is the batch dimension).
const broadcastShapes = (a, b) => {
  const rank = Math.max(a.length, b.length);
  const out = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    out.push(x === null || y === null ? null : Math.max(x, y));
  }
  return out;
};
// comparisons give a float mask (1 where true), which MaskedFill reads as PyTorch reads a bool mask
const compare = (fn) => (a, b) => tf.cast(fn(a, b), 'float32');
const ARITHMETIC = {
  add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, pow: tf.pow,
  equal: compare(tf.equal), notEqual: compare(tf.notEqual), less: compare(tf.less), greater: compare(tf.greater),
  lessEqual: compare(tf.lessEqual), greaterEqual: compare(tf.greaterEqual),
  // mask & mask, mask | mask: any non-zero is true, as for a PyTorch bool
  and: compare((a, b) => tf.logicalAnd(tf.notEqual(a, 0), tf.notEqual(b, 0))),
  or: compare((a, b) => tf.logicalOr(tf.notEqual(a, 0), tf.notEqual(b, 0))),
};

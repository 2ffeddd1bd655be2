// a @ b (or a @ b.transpose(-2, -1)) of two computed tensors: attention scores, weighted values.
class MatMul extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.transposeB = Boolean(config.transposeB);
  }

  computeOutputShape(inputShapes) {
    const [a, b] = inputShapes;
    return [...a.slice(0, -1), this.transposeB ? b[b.length - 2] : b[b.length - 1]];
  }

  call(inputs) {
    return tf.tidy(() => tf.matMul(inputs[0], inputs[1], false, this.transposeB));
  }

  getConfig() {
    return { ...super.getConfig(), transposeB: this.transposeB };
  }
}
MatMul.className = 'MatMul';

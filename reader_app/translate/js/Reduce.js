// x.sum(dim), x.mean(-1, keepdim=True), x.var(-1, unbiased=False), ...: `axis` counts the batch as axis 0.
// var and std divide by n - correction, as PyTorch does (tf.moments divides by n).
class Reduce extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.op = config.op;
    this.axis = config.axis;
    this.keepDims = Boolean(config.keepDims);
    this.correction = config.correction ?? 0;
  }

  computeOutputShape(inputShape) {
    return inputShape.map((d, i) => (this.axis.includes(i) ? (this.keepDims ? 1 : undefined) : d))
      .filter((d) => d !== undefined);
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      if (this.op !== 'var' && this.op !== 'std') {
        return tf[this.op](x, this.axis, this.keepDims);
      }
      const count = this.axis.reduce((n, a) => n * x.shape[a], 1);
      const variance = tf.mul(tf.moments(x, this.axis, this.keepDims).variance, count / (count - this.correction));
      return this.op === 'std' ? tf.sqrt(variance) : variance;
    });
  }

  getConfig() {
    return { ...super.getConfig(), op: this.op, axis: this.axis, keepDims: this.keepDims, correction: this.correction };
  }
}
Reduce.className = 'Reduce';

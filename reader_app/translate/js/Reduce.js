// x.sum(dim), x.mean(-1, keepdim=True), ...: `axis` counts the batch as axis 0.
class Reduce extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.op = config.op;
    this.axis = config.axis;
    this.keepDims = Boolean(config.keepDims);
  }

  computeOutputShape(inputShape) {
    return inputShape.map((d, i) => (this.axis.includes(i) ? (this.keepDims ? 1 : undefined) : d))
      .filter((d) => d !== undefined);
  }

  call(inputs) {
    return tf.tidy(() => tf[this.op](single(inputs), this.axis, this.keepDims));
  }

  getConfig() {
    return { ...super.getConfig(), op: this.op, axis: this.axis, keepDims: this.keepDims };
  }
}
Reduce.className = 'Reduce';

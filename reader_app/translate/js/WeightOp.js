// x * self.weight, x + table: arithmetic with a parameter or constant tensor, kept as this layer's weight
// (broadcast as in PyTorch).
class WeightOp extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.op = config.op;
    this.reverse = Boolean(config.reverse);
    this.shape = config.shape;
    this.learned = config.trainable !== false;
  }

  build() {
    this.value = this.addWeight('value', this.shape, 'float32', tf.initializers.zeros(), undefined, this.learned);
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return broadcastShapes(inputShape, this.shape.length === inputShape.length ? [null, ...this.shape.slice(1)] : this.shape);
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const w = this.value.read();
      return this.reverse ? ARITHMETIC[this.op](w, x) : ARITHMETIC[this.op](x, w);
    });
  }

  getConfig() {
    return { ...super.getConfig(), op: this.op, reverse: this.reverse, shape: this.shape };
  }
}
WeightOp.className = 'WeightOp';

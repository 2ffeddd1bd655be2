// x.masked_fill(mask, value) with a mask that is not causal: a constant mask kept as a weight
// (1 = fill), or a second input.
class MaskedFill extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.value = config.value;
    this.maskShape = config.maskShape ?? null;
  }

  build() {
    if (this.maskShape) {
      this.mask = this.addWeight('mask', this.maskShape, 'float32', tf.initializers.zeros(), undefined, false);
    }
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return this.maskShape ? inputShape : inputShape[0];
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const mask = this.maskShape ? this.mask.read() : inputs[1];
      const fill = tf.broadcastTo(tf.greater(tf.cast(mask, 'float32'), 0.5), x.shape);
      return tf.where(fill, tf.fill(x.shape, num(this.value)), x);
    });
  }

  getConfig() {
    return { ...super.getConfig(), value: this.value, maskShape: this.maskShape };
  }
}
MaskedFill.className = 'MaskedFill';

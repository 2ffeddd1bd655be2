// torch.rsqrt(x), x.exp(), x.clamp(min, max), ...: one function applied to every element.
class Elementwise extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.op = config.op;
    this.min = config.min ?? null;
    this.max = config.max ?? null;
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      if (this.op === 'clamp') {
        return tf.clipByValue(x, this.min === null ? -Infinity : num(this.min), this.max === null ? Infinity : num(this.max));
      }
      return tf[this.op](x);
    });
  }

  getConfig() {
    return { ...super.getConfig(), op: this.op, min: this.min, max: this.max };
  }
}
Elementwise.className = 'Elementwise';

// x * 0.125, x + 1e-6, 2 - x (reverse): arithmetic with a number written in forward().
class ScalarOp extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.op = config.op;
    this.value = config.value;
    this.reverse = Boolean(config.reverse);
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const v = tf.scalar(num(this.value), x.dtype);
      return this.reverse ? ARITHMETIC[this.op](v, x) : ARITHMETIC[this.op](x, v);
    });
  }

  getConfig() {
    return { ...super.getConfig(), op: this.op, value: this.value, reverse: this.reverse };
  }
}
ScalarOp.className = 'ScalarOp';

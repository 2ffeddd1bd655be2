// F.pad(x, ..., value=v): [before, after] for every axis after the batch.
class TensorPad extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.paddings = config.paddings;
    this.value = config.value ?? 0;
  }

  computeOutputShape(inputShape) {
    return [inputShape[0], ...this.paddings.map(([b, a], i) => inputShape[i + 1] + b + a)];
  }

  call(inputs) {
    return tf.tidy(() => tf.pad(single(inputs), [[0, 0], ...this.paddings], num(this.value)));
  }

  getConfig() {
    return { ...super.getConfig(), paddings: this.paddings, value: this.value };
  }
}
TensorPad.className = 'TensorPad';

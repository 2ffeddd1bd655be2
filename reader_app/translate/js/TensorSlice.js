// x[:, a:b:s, i, ...] in PyTorch: begin/end/strides per axis after the batch; `squeeze` lists the axes
// an integer index removes.
class TensorSlice extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.begin = config.begin;
    this.end = config.end;
    this.strides = config.strides;
    this.squeeze = config.squeeze || [];
  }

  computeOutputShape(inputShape) {
    const out = [inputShape[0]];
    this.begin.forEach((b, i) => out.push(Math.max(0, Math.ceil((this.end[i] - b) / this.strides[i]))));
    return out.filter((_, axis) => !this.squeeze.includes(axis));
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const out = tf.stridedSlice(x, [0, ...this.begin], [x.shape[0], ...this.end], [1, ...this.strides]);
      return this.squeeze.length ? tf.squeeze(out, this.squeeze) : out;
    });
  }

  getConfig() {
    return { ...super.getConfig(), begin: this.begin, end: this.end, strides: this.strides, squeeze: this.squeeze };
  }
}
TensorSlice.className = 'TensorSlice';

// nn.GRU(batch_first=True), one stacked layer, computed as PyTorch does: gates r, z, n, and the reset gate
// applied after the recurrent product (n = tanh(W_in x + b_in + r * (W_hn h + b_hn))), which tf.layers.gru
// cannot do (it refuses resetAfter). Kernels are PyTorch's weights transposed; the two biases stay apart.
class TorchGRU extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.units = config.units;
    this.useBias = config.useBias ?? true;
  }

  build(inputShape) {
    const size = inputShape[inputShape.length - 1];
    const zeros = tf.initializers.zeros();
    this.kernel = this.addWeight('kernel', [size, 3 * this.units], 'float32', zeros);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, 3 * this.units], 'float32', zeros);
    if (this.useBias) {
      this.inputBias = this.addWeight('input_bias', [3 * this.units], 'float32', zeros);
      this.recurrentBias = this.addWeight('recurrent_bias', [3 * this.units], 'float32', zeros);
    }
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return [inputShape[0], inputShape[1], this.units];
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const [batch, steps, size] = x.shape;
      const u = this.units;
      let projected = tf.reshape(tf.matMul(tf.reshape(x, [-1, size]), this.kernel.read()), [batch, steps, 3 * u]);
      if (this.useBias) {
        projected = tf.add(projected, this.inputBias.read());
      }
      let h = tf.zeros([batch, u]);
      const outputs = [];
      for (let t = 0; t < steps; t++) {
        const gi = tf.reshape(tf.slice(projected, [0, t, 0], [batch, 1, 3 * u]), [batch, 3 * u]);
        let gh = tf.matMul(h, this.recurrentKernel.read());
        if (this.useBias) {
          gh = tf.add(gh, this.recurrentBias.read());
        }
        const part = (g, i) => tf.slice(g, [0, i * u], [batch, u]);
        const r = tf.sigmoid(tf.add(part(gi, 0), part(gh, 0)));
        const z = tf.sigmoid(tf.add(part(gi, 1), part(gh, 1)));
        const n = tf.tanh(tf.add(part(gi, 2), tf.mul(r, part(gh, 2))));
        h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
        outputs.push(h);
      }
      return tf.stack(outputs, 1);
    });
  }

  getConfig() {
    return { ...super.getConfig(), units: this.units, useBias: this.useBias };
  }
}
TorchGRU.className = 'TorchGRU';

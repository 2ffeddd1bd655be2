// Rotary position embedding: each (even, odd) pair of the last axis is a complex number multiplied by
// cos + i sin of its position's angle, as view_as_complex(x) * freqs_cis does. The table has the shape
// of freqs_cis after the batch axis (positions, 1, pairs).
class RotaryEmbedding extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.shape = config.shape;
  }

  build() {
    this.cos = this.addWeight('cos', this.shape, 'float32', tf.initializers.ones(), undefined, false);
    this.sin = this.addWeight('sin', this.shape, 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const pairs = tf.reshape(x, [...x.shape.slice(0, -1), x.shape[x.rank - 1] / 2, 2]);
      const [a, b] = tf.unstack(pairs, pairs.rank - 1);
      const c = this.cos.read();
      const s = this.sin.read();
      const real = tf.sub(tf.mul(a, c), tf.mul(b, s));
      const imag = tf.add(tf.mul(a, s), tf.mul(b, c));
      return tf.reshape(tf.stack([real, imag], pairs.rank - 1), x.shape);
    });
  }

  getConfig() {
    return { ...super.getConfig(), shape: this.shape };
  }
}
RotaryEmbedding.className = 'RotaryEmbedding';

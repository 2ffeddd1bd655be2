// Hides future positions: in the last two axes (queries, keys), entry (i, j) becomes `value` when key j
// comes after query i, as att.masked_fill(tril == 0, -inf) or scores + triu(-inf) do in PyTorch.
class CausalMask extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.value = config.value;
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const rows = x.shape[x.rank - 2];
      const cols = x.shape[x.rank - 1];
      const i = tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]);
      const j = tf.reshape(tf.range(0, cols, 1, 'int32'), [1, cols]);
      const future = tf.greater(j, tf.add(i, cols - rows));
      return tf.where(tf.broadcastTo(future, x.shape), tf.fill(x.shape, num(this.value)), x);
    });
  }

  getConfig() {
    return { ...super.getConfig(), value: this.value };
  }
}
CausalMask.className = 'CausalMask';

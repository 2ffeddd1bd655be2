// F.scaled_dot_product_attention(q, k, v): softmax(q k^T * scale) v over (batch, heads, steps, dim);
// `causal` hides key j > query i (PyTorch's is_causal, aligned top-left).
class ScaledDotProductAttention extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.causal = Boolean(config.causal);
    this.scale = config.scale ?? null;
  }

  computeOutputShape(inputShapes) {
    const [q, , v] = inputShapes;
    return [...q.slice(0, -1), v[v.length - 1]];
  }

  call(inputs) {
    return tf.tidy(() => {
      const [q, k, v] = inputs;
      const scale = this.scale ?? 1 / Math.sqrt(q.shape[q.rank - 1]);
      let scores = tf.mul(tf.matMul(q, k, false, true), scale);
      if (this.causal) {
        const rows = scores.shape[scores.rank - 2];
        const cols = scores.shape[scores.rank - 1];
        const i = tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]);
        const j = tf.reshape(tf.range(0, cols, 1, 'int32'), [1, cols]);
        scores = tf.where(tf.broadcastTo(tf.greater(j, i), scores.shape), tf.fill(scores.shape, -Infinity), scores);
      }
      return tf.matMul(tf.softmax(scores), v);
    });
  }

  getConfig() {
    return { ...super.getConfig(), causal: this.causal, scale: this.scale };
  }
}
ScaledDotProductAttention.className = 'ScaledDotProductAttention';

// Attention pooling over time: a learned score per step (a Dense layer with one unit), softmax over the
// steps, and the steps summed with those weights: (batch, steps, features) -> (batch, features).
class AttentionPooling extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.axis = config.axis ?? 1;
  }

  build(inputShape) {
    const features = inputShape[inputShape.length - 1];
    this.kernel = this.addWeight('kernel', [features, 1], 'float32', tf.initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [1], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return [inputShape[0], inputShape[2]];
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const [batch, steps, features] = x.shape;
      const scores = tf.add(tf.matMul(tf.reshape(x, [-1, features]), this.kernel.read()), this.bias.read());
      const weights = tf.softmax(tf.reshape(scores, [batch, steps]));
      return tf.sum(tf.mul(tf.reshape(weights, [batch, steps, 1]), x), 1);
    });
  }

  getConfig() {
    return { ...super.getConfig(), axis: this.axis };
  }
}
AttentionPooling.className = 'AttentionPooling';

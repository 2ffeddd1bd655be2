// F.softmax(x, dim) over an axis that is not the last (TF.js's softmax works on the last axis only), and
// F.log_softmax(x, dim) (`log`: x - logsumexp(x), over any axis).
class SoftmaxAxis extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.axis = config.axis;
    this.log = Boolean(config.log);
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const shifted = tf.sub(x, tf.max(x, this.axis, true));
      const e = tf.exp(shifted);
      return this.log ? tf.sub(shifted, tf.log(tf.sum(e, this.axis, true))) : tf.div(e, tf.sum(e, this.axis, true));
    });
  }

  getConfig() {
    return { ...super.getConfig(), axis: this.axis, log: this.log };
  }
}
SoftmaxAxis.className = 'SoftmaxAxis';

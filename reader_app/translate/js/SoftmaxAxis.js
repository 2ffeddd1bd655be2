// F.softmax(x, dim) over an axis that is not the last (TF.js's softmax works on the last axis only).
class SoftmaxAxis extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.axis = config.axis;
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const e = tf.exp(tf.sub(x, tf.max(x, this.axis, true)));
      return tf.div(e, tf.sum(e, this.axis, true));
    });
  }

  getConfig() {
    return { ...super.getConfig(), axis: this.axis };
  }
}
SoftmaxAxis.className = 'SoftmaxAxis';

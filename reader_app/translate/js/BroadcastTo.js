// x.expand(-1, T, C): repeats size-1 axes to the given sizes (after the batch).
class BroadcastTo extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.shape = config.shape;
  }

  computeOutputShape(inputShape) {
    return [inputShape[0], ...this.shape];
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      return tf.broadcastTo(x, [x.shape[0], ...this.shape]);
    });
  }

  getConfig() {
    return { ...super.getConfig(), shape: this.shape };
  }
}
BroadcastTo.className = 'BroadcastTo';

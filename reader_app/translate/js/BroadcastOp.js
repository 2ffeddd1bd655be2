// a - b, a / b, a * b of two computed tensors of different shapes, broadcast as in PyTorch.
class BroadcastOp extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.op = config.op;
  }

  computeOutputShape(inputShapes) {
    return broadcastShapes(inputShapes[0], inputShapes[1]);
  }

  call(inputs) {
    return tf.tidy(() => ARITHMETIC[this.op](inputs[0], inputs[1]));
  }

  getConfig() {
    return { ...super.getConfig(), op: this.op };
  }
}
BroadcastOp.className = 'BroadcastOp';

// x + wpe(torch.arange(T)): adds the first T rows of a learned position table to a sequence.
class PositionEmbedding extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.inputDim = config.inputDim;
    this.outputDim = config.outputDim;
  }

  build() {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], 'float32',
      tf.initializers.randomNormal({}));
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs) {
    return tf.tidy(() => {
      const x = single(inputs);
      const steps = x.shape[1];
      return tf.add(x, tf.slice(this.embeddings.read(), [0, 0], [steps, this.outputDim]));
    });
  }

  getConfig() {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim };
  }
}
PositionEmbedding.className = 'PositionEmbedding';

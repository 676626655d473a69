"""Training on SIGNS behind the verifier gate: data, recipes, the loop, runtime, checkpoints."""

namespace GreenTrain.Trainer.Checkpoints.State;

/// <summary>
/// A verified checkpoint whose contents do not fit the state it is restored into (another model layout,
/// another optimizer, a section missing): its bytes are intact, but restoring it would train garbage.
/// </summary>
public sealed class CheckpointIncompatibleException(string message)
    : Exception($"The checkpoint does not fit this run: {message}.");

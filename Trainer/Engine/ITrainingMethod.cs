using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// A training method (mixed precision, and later pruning, quantization, ...): it changes the training
/// state at the events it matches. What it changes before an event it restores after, when it must.
/// </summary>
public interface ITrainingMethod
{
    bool Match(TrainingEvent trainingEvent, TrainingState state);

    void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger);
}

/// <summary>Watches the run (progress, metrics, early stopping, checkpoints); never changes the model or the optimizer.</summary>
public interface ITrainingObserver
{
    void Observe(TrainingEvent trainingEvent, TrainingState state);
}

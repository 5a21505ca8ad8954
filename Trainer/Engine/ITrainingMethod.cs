using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// A training method (mixed precision, pruning, quantization, ...): it changes the training state at the
/// events it matches. What it changes before an event it restores after, when it must. The engine knows
/// no method by name: what a method keeps across a pause it says through IStatefulMethod, what it
/// reports through IReportingMethod.
/// </summary>
public interface ITrainingMethod
{
    /// <summary>Unique within a run: the name of its checkpoint section and of its entry in the result.</summary>
    string Name { get; }

    bool Match(TrainingEvent trainingEvent, TrainingState state);

    void Apply(TrainingEvent trainingEvent, TrainingState state, ILogger logger);
}

/// <summary>A method with state that a resumed run needs (masks, observed ranges, the loss scale): it owns the checkpoint section "method.NAME".</summary>
public interface IStatefulMethod : ITrainingMethod
{
    /// <summary>Copies the state to host memory, on the training thread at a step boundary.</summary>
    MethodSection Save(TrainingState state);

    /// <summary>Takes the state back from a restored checkpoint, before AfterLoad is raised.</summary>
    void Load(MethodSection section, TrainingState state);
}

/// <summary>A method with figures for the result (achieved sparsity per layer, the int8 export's score): result.methods.NAME.</summary>
public interface IReportingMethod : ITrainingMethod
{
    JsonNode Report(TrainingState state);
}

/// <summary>Watches the run (progress, metrics, early stopping, checkpoints); never changes the model or the optimizer.</summary>
public interface ITrainingObserver
{
    void Observe(TrainingEvent trainingEvent, TrainingState state);
}

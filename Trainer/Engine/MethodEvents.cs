using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// Raises one event: the state's methods first (in order, or in reverse order at After/End events, so
/// they unwind like nested scopes), then the observers, which only watch.
/// </summary>
public static class MethodEvents
{
    public static void Raise(TrainingEvent trainingEvent, TrainingState state, IReadOnlyList<ITrainingObserver> observers, ILogger logger)
    {
        var methods = state.Methods;
        var reverse = trainingEvent.IsAfter();
        for (var i = 0; i < methods.Count; i++)
        {
            var method = methods[reverse ? methods.Count - 1 - i : i];
            if (method.Match(trainingEvent, state)) method.Apply(trainingEvent, state, logger);
        }

        foreach (var observer in observers)
        {
            observer.Observe(trainingEvent, state);
        }
    }
}

using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Export;

/// <summary>Writes the model files (<see cref="ModelFiles"/>) once, when the run ends, from the final weights the test split is scored with.</summary>
public sealed class ModelFilesObserver(string folder) : ITrainingObserver
{
    public IReadOnlyList<string> Written { get; private set; } = [];

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.FitEnd)
        {
            Written = ModelFiles.Write(folder, state);
        }
    }
}

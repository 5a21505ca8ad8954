using System.Globalization;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Observers;

/// <summary>Appends one row per evaluation to a CSV file, flushed at once, so a crash loses nothing already measured.</summary>
public sealed class MetricsCsvObserver : ITrainingObserver, IDisposable
{
    public const string Header = "step,epoch,train_loss,val_loss,val_accuracy,learning_rate,elapsed_seconds,samples_per_second";
    private readonly StreamWriter _writer;

    public MetricsCsvObserver(string path)
    {
        _writer = new StreamWriter(path, append: false) { AutoFlush = true };
        _writer.WriteLine(Header);
    }

    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.EvaluationEnd) return;
        var e = state.Evaluations[^1];
        var rate = state.TrainingSeconds > 0 ? state.ExamplesSeen / state.TrainingSeconds : 0;
        _writer.WriteLine(string.Join(',',
            e.Step.ToString(CultureInfo.InvariantCulture), F(e.Epoch), e.TrainLoss is { } t ? F(t) : "", F(e.Loss),
            e.Accuracy is { } a ? F(a) : "", F(e.LearningRate), F(e.ElapsedSeconds), F(rate)));
    }

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public void Dispose() => _writer.Dispose();
}

using GreenTrain.Scheduler.Sweeps;

namespace GreenTrain.Scheduler.Tests.Sweeps;

/// <summary>
/// Stands in for the Trainer at the algorithm's level: keeps each trial's step like a checkpoint, scores it with the
/// synthetic learning curve, and charges 1 J per step trained, so costs and resumes can be checked exactly.
/// </summary>
internal sealed class SyntheticRunner : ITrialRunner
{
    private readonly Dictionary<string, int> _checkpoints = [];

    public List<(TrialSegment Segment, int From)> Segments { get; } = [];

    public TrialOutcome Run(TrialSegment segment, CancellationToken cancellationToken)
    {
        var from = segment.Restart ? 0 : _checkpoints.GetValueOrDefault(segment.TrialId);
        _checkpoints[segment.TrialId] = segment.Resource;
        Segments.Add((segment, from));
        var configuration = new Configuration(0, [segment.Spec.Training.Optimizer.LearningRate, segment.Spec.Model.Width, segment.Spec.Model.Depth]);
        var accuracy = SyntheticObjective.Score(configuration, segment.Resource);
        return new TrialOutcome(accuracy, 1 - accuracy, segment.IsFinal ? accuracy : null, segment.Resource, segment.Resource - from,
            segment.Resource - from, "estimate", "segment end");
    }
}

using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>
/// Trains one segment of one trial: <see cref="Spec"/> (the whole trial, its horizon the sweep's full resource) from
/// the trial's own checkpoint, or from scratch when there is none or <see cref="Restart"/>, until it has had
/// <see cref="Resource"/> in all; then checkpoints it so the next segment continues instead of starting over.
/// </summary>
/// <param name="EvalBatches">Validation batches the segment's evaluations score (an intermediate rung's cheaper score); null: the spec's own.</param>
/// <param name="Values">The configuration's value of each varied field, by JSON path (what a service shows beside the trial).</param>
public sealed record TrialSegment(string TrialId, ExperimentSpec Spec, ResourceUnit Unit, int Resource, bool Restart, bool IsFinal, int? EvalBatches = null,
    IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?>? Values = null);

/// <summary>What a segment measured: the validation metric at its last step, the test split (final segments only), its energy.</summary>
/// <param name="Joules">Energy of this segment alone (not the trial so far).</param>
/// <param name="EnergyMethod">How the joules were obtained (counter, power, estimate): the weakest of the segment's devices.</param>
public sealed record TrialOutcome(double? Accuracy, double? Loss, double? TestAccuracy, long Step, long StepsTrained, double Joules, string EnergyMethod, string StopReason);

/// <summary>Runs trial segments: the Trainer in a child process (the CLI's --local), or in this process (the benchmark).</summary>
public interface ITrialRunner
{
    TrialOutcome Run(TrialSegment segment, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a promoted segment continues the trial's checkpoint (true: it trains only the resource beyond the last
    /// segment) or trains from step 0 again (false): the report counts the resource each segment paid for.
    /// </summary>
    bool ResumesFromCheckpoint => true;
}

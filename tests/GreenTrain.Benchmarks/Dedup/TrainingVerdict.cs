using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>One seed's pair of runs read against the protocol: the target, and where each run first reached it.</summary>
public sealed record SeedComparison(int Seed, double Target, EvaluationPoint? FullAt, EvaluationPoint? DedupAt, double? StepRatio, double? EnergyRatio, double? EnergyRatioWithoutStage, double TestAccuracyDifference);

/// <summary>
/// The training comparison's protocol, one pair of runs per seed: both train the same number of epochs, each with its
/// own schedule sized by its epochs (steps = epochs x examples / batch, cosine over them), so removing examples
/// shortens the dedup run's schedule in proportion; the target is that seed's full-data model's final validation
/// accuracy less 0.5 point; "to target" is the first evaluation at or above it; the dedup run's energy includes
/// the dedup stage's. The issue's target holds when steps (and energy) to target fall at least to the kept share.
/// </summary>
public static class TrainingVerdict
{
    public static object Compare(List<TrainedRun> fulls, List<TrainedRun> dedups, double dedupJoules, List<DedupStageSummary> stages, int copies)
    {
        var kept = dedups[0].TrainExamples / (double)fulls[0].TrainExamples;
        var seeds = new List<SeedComparison>();
        Console.WriteLine($"\nkept share {kept:F3} ({fulls[0].TrainExamples - dedups[0].TrainExamples} of {fulls[0].TrainExamples} removed); target per seed: the full run's final validation accuracy less 0.5 point");
        Console.WriteLine("| seed | run | train examples | steps (all) | target | steps to target | energy to target (J) | final val. acc. | test acc. | training energy (J) | dedup stage (J) |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var k = 0; k < fulls.Count; k++)
        {
            var (full, dedup) = (fulls[k], dedups[k]);
            var target = full.Evaluations[^1].Metric - 0.005;
            var fullAt = TrainingComparison.ToTarget(full, MetricKind.Accuracy, target);
            var dedupAt = TrainingComparison.ToTarget(dedup, MetricKind.Accuracy, target);
            var seed = int.Parse(full.Name.Split('-')[1]);
            foreach (var (run, at) in new[] { (full, fullAt), (dedup, dedupAt) })
            {
                Console.WriteLine($"| {seed} | {run.Name.Split('-')[0]} | {run.TrainExamples} | {run.Evaluations[^1].Step} | {target:P2} | {at?.Step.ToString() ?? "not reached"} | {at?.Joules:F0} | {run.Evaluations[^1].Metric:P2} | {run.TestAccuracy:P2} | {run.TrainJoules:F0} | {run.DedupJoules:F0} |");
            }

            seeds.Add(new SeedComparison(seed, target, fullAt, dedupAt,
                fullAt is not null && dedupAt is not null ? dedupAt.Step / (double)fullAt.Step : null,
                fullAt is not null && dedupAt is not null ? dedupAt.Joules / fullAt.Joules : null,
                fullAt is not null && dedupAt is not null ? (dedupAt.Joules - dedupJoules) / fullAt.Joules : null,
                ((dedup.TestAccuracy ?? 0) - (full.TestAccuracy ?? 0)) * 100));
        }

        var reached = seeds.Where(s => s.StepRatio is not null).ToList();
        var epochJoules = fulls.Average(f => f.TrainJoules / Math.Max(1e-9, f.Evaluations[^1].Epoch));
        var stepRatio = reached.Count > 0 ? reached.Average(s => s.StepRatio!.Value) : (double?)null;
        Console.WriteLine($"steps to target, dedup / full, per seed: {string.Join(", ", seeds.Select(s => s.StepRatio?.ToString("F3") ?? "not reached"))}; mean {stepRatio:F3} against the kept share {kept:F3}");
        Console.WriteLine($"energy to target, dedup (stage included) / full, per seed: {string.Join(", ", seeds.Select(s => s.EnergyRatio?.ToString("F3") ?? "-"))}; without the stage: {string.Join(", ", seeds.Select(s => s.EnergyRatioWithoutStage?.ToString("F3") ?? "-"))}");
        Console.WriteLine($"test accuracy, dedup - full, points per seed: {string.Join(", ", seeds.Select(s => s.TestAccuracyDifference.ToString("F2")))}; dedup stage = {dedupJoules / epochJoules:P1} of one full-data epoch's energy");
        return new { keptShare = kept, seeds, meanStepRatio = stepRatio, dedupShareOfEpoch = dedupJoules / epochJoules, stages, copies };
    }
}

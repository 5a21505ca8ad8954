namespace GreenTrain.Trainer.Benchmarks;

/// <summary>One timed window of training steps. Field names match pytorch_reference.py's JSON so compare.py reads both.</summary>
public sealed record ThroughputResult(
    string Framework, string Model, string Setting, int Batch, long TokensPerExample, long Steps, double Seconds,
    double SamplesPerSecond, double TokensPerSecond, double? Joules, double? JoulesPerStep, double? JoulesPerToken, double MsPerStep);

/// <summary>Training the CNN until its test accuracy reaches the target.</summary>
public sealed record TimeToTargetResult(string Framework, string Model, string Setting, double Target, bool Reached, long Steps, double Seconds, double? Joules, double? Accuracy);

public sealed record BenchReport(string Framework, string Device, string? EnergySource, IReadOnlyList<ThroughputResult> Throughput, IReadOnlyList<TimeToTargetResult> TimeToTarget);

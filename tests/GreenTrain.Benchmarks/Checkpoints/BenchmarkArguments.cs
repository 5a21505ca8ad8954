namespace GreenTrain.Benchmarks.Checkpoints;

/// <summary>The checkpoint benchmark's settings (see BenchmarkCommands); the defaults reproduce docs/benchmarks.md.</summary>
public sealed record BenchmarkArguments(int SizeMiB, int Runs, IReadOnlyList<string> Stores, string Output);

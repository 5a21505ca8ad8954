using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>
/// The MoE benchmark's settings (see BenchmarkCommands): device, corpus, the MoE model's shape and the steps of each
/// run; the defaults are the CPU-sized run docs/benchmarks.md records.
/// </summary>
public sealed record MoeArguments(DeviceRequest Device, string? LibTorch, string TextPath, int Steps, int Width, int Experts, int TopK,
    double CapacityFactor, string Output);
